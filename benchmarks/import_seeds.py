"""Time the plan importer on the three seed documents.

    .venv/bin/python benchmarks/import_seeds.py [runs]

Prints the mean time to parse all three seeds once; the goal is well under one second.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from innovation_plans.importer import parse_plan  # noqa: E402

SEEDS = sorted((ROOT / "innovation_plans" / "seeds").glob("*_plan.txt"))


def main(runs=20):
    documents = [(path.name, path.read_bytes()) for path in SEEDS]
    per_file = {name: 0.0 for name, _ in documents}
    started = time.perf_counter()
    for _ in range(runs):
        for name, data in documents:
            t0 = time.perf_counter()
            parse_plan(data, name)
            per_file[name] += time.perf_counter() - t0
    mean = (time.perf_counter() - started) / runs
    for name, total in per_file.items():
        print(f"{name:28} {total / runs * 1000:8.1f} ms")
    print(f"{'all three seeds (mean)':28} {mean * 1000:8.1f} ms over {runs} runs  (goal < 1000 ms)")
    return 0 if mean < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
