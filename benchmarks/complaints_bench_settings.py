"""Settings for benchmarks/complaints_submit.sh: the portal as it is, plus one bare view for comparison."""

import os

# Benchmarks run the portal in production mode, which wants its own encryption key: a throwaway one will do.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "YmVuY2htYXJrLW9ubHkta2V5LW5vdC1mb3ItZGF0YSE=")

from portal.settings import *  # noqa: E402, F403

ROOT_URLCONF = "benchmarks.complaints_bench_urls"
