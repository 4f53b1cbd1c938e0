"""Settings for benchmarks/eservice_booking.sh: the complaints harness (bare insert view) with the queue API's
booking throttle lifted for the run."""

from benchmarks.complaints_bench_settings import *  # noqa: F403

QUEUE_API_BOOKING_RATE = "100000000/min"
QUEUE_API_READ_RATE = "100000000/min"
# The load generator is one client address booking thousands of places: the per-address daily allowance of a
# queue (Queue.max_per_client_day) is lifted for the run.
RATELIMIT_ENABLE = False
