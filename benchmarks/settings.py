"""Benchmark settings: the portal's own, plus bare baseline views (never installed in the app)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
