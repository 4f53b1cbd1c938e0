"""Time to draw a bill's Thai QR as PNG (what /<org>/tax/bill/<number>/qr.png and the API's qr_png serve).

Usage: .venv/bin/python benchmarks/taxpay_qr.py [runs]

Each run draws a different payload (another amount), so the in-process cache of recent images never answers.
Wall-clock and CPU time are both reported: on a shared machine the wall clock also counts waiting for a core.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.outputs import qr as qr_image  # noqa: E402
from taxpay import qr  # noqa: E402


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    qr_image.png_bytes(qr.bill_payment_payload(biller_id="099400016550101", ref1="LB2568000001", amount="1.00"))  # warm
    times, cpu = [], []
    for n in range(runs):
        payload = qr.bill_payment_payload(biller_id="099400016550101", ref1=f"LB2568{n:06d}", ref2="256801",
                                          amount=f"{1000 + n}.{n % 100:02d}")
        start, start_cpu = time.perf_counter(), time.process_time()
        png = qr_image.png_bytes(payload)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    cpu.sort()
    print(f"RESULT runs={runs} bytes={len(png)} median_ms={statistics.median(times):.2f} "
          f"p95_ms={times[int(runs * 0.95) - 1]:.2f} max_ms={times[-1]:.2f} "
          f"cpu_median_ms={statistics.median(cpu):.2f} cpu_p95_ms={cpu[int(runs * 0.95) - 1]:.2f}")


if __name__ == "__main__":
    main()
