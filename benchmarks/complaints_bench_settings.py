"""Settings for benchmarks/complaints_submit.sh: the portal as it is, plus one bare view for comparison."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.complaints_bench_urls"
