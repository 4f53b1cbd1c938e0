"""Time the table reader (portal.inputs.tables) on the two hostile files of issue 16 (medium 4).

    .venv/bin/python benchmarks/tables_hostile.py

Prints each file's size, the time until it is refused, the message, and the process's peak memory."""

import os
import resource
import sys
import time

sys.path.insert(0, ".")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from portal.inputs import tables  # noqa: E402
from tests.portal.test_tables import hostile_xlsx  # noqa: E402

for name, data in (("hostile.xlsx", hostile_xlsx()), ("wide.csv", b"123456789," * 2_000_000 + b"\n")):
    started = time.perf_counter()
    try:
        tables.read_rows(data, name)
        message = "read"
    except tables.TableError as exc:
        message = str(exc)
    print(f"{name}: {len(data):,} bytes, {time.perf_counter() - started:.3f} s, {message[:70]}")
print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
