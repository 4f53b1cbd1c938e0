"""PDF receipt of a request with 20 fields and 3 attachments: render time (warm), median of 10.

    DATABASE_URL=... .venv/bin/python benchmarks/eservice_receipt.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from eservice import receipts  # noqa: E402
from eservice.models import FieldKind, FormField, RequestDocument  # noqa: E402
from eservice.requests import selectors, services  # noqa: E402
from portal.models import Organization  # noqa: E402


class Rollback(Exception):
    pass


def main():
    org = Organization.objects.get(slug="khamyai")
    timings, cpu_timings = [], []
    try:
        with transaction.atomic():
            service_type = services.create_from_template(organization=org, template_key="general-request",
                                                         code="bench-receipt")
            FormField.objects.filter(service_type=service_type).delete()
            FormField.objects.bulk_create([
                FormField(service_type=service_type, code=f"f{i}", kind=FieldKind.TEXT, order=i,
                          label_th=f"คำถามข้อที่ {i + 1} ของแบบฟอร์ม") for i in range(20)])
            services.publish_version(service_type=service_type)
            request_obj = services.submit_request(
                service_type=service_type, answers={f"f{i}": f"คำตอบข้อที่ {i + 1} ภาษาไทย" for i in range(20)},
                applicant_name="สมชาย ใจดี", phone="0812345678", consent=True)
            RequestDocument.objects.bulk_create([
                RequestDocument(request=request_obj, label=f"เอกสารแนบ {i + 1}", original_name=f"doc{i}.pdf",
                                mime="application/pdf", size=1000, file=f"eservice/documents/bench{i}.pdf")
                for i in range(3)])
            http = RequestFactory().get("/", HTTP_HOST="127.0.0.1")
            obj = selectors.request_for_tracking(org, request_obj.tracking_code)
            receipts.receipt_pdf(http, obj)  # warm: fonts load once per process
            for _ in range(10):
                start, cpu = time.perf_counter(), time.process_time()
                pdf = receipts.receipt_pdf(http, obj)
                timings.append((time.perf_counter() - start) * 1000)
                cpu_timings.append((time.process_time() - cpu) * 1000)
            assert pdf.startswith(b"%PDF")
            raise Rollback
    except Rollback:
        pass
    # CPU time next to wall time: on a shared machine the wall time mostly measures the wait for a core.
    print(f"RECEIPT 20 fields, 3 attachments: median {statistics.median(timings):.1f} ms wall "
          f"(max {max(timings):.1f}), median {statistics.median(cpu_timings):.1f} ms CPU, over {len(timings)} "
          f"warm renders ({len(pdf)} bytes); load average {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    main()
