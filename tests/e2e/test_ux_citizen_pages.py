"""Every citizen page of every service, on a phone and a desktop, with the demo data: axe-core finds no serious or critical
WCAG 2.1 AA violation, and no control or table cell clips Thai marks (ุ ู ิ ี ่ ้ ๊ ๋ ั ็).

The pages are found from the demo data of each service (complaints, e-service, queue, tax, open data, plans), so
a service's pages are walked as soon as it has demo data. Screenshots: test-artifacts/screenshots/citizen-*.png.
"""

import io
import re

import pytest

from tests.e2e.a11y import axe_violations, thai_clipping

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _demo_pages():
    """(name, path) of the citizen pages of the first demo organization, one of each kind, from its demo data."""
    from complaints.models import Asset, Complaint
    from eservice.models import Booking, Queue, ServiceRequest, ServiceType, Slot
    from innovation_plans.models import Plan
    from opendata.models import Dataset
    from portal.demo import load_all
    from portal.models import Organization
    from taxpay.models import Payment

    out = io.StringIO()
    load_all(stdout=out)
    org = Organization.objects.get(slug="khamyai")
    base = f"/{org.slug}"
    pages = [("landing", "/"), ("org-home", f"{base}/"),
             ("complaints", f"{base}/complaints/"), ("complaint-new", f"{base}/complaints/new/"),
             ("complaint-dashboard", f"{base}/complaints/dashboard/"),
             ("integrity-new", f"{base}/integrity/"), ("integrity-status", f"{base}/integrity/status/"),
             ("eservice", f"{base}/eservice/"), ("eservice-track-lookup", f"{base}/eservice/track/"),
             ("queue", f"{base}/queue/"), ("queue-display", f"{base}/queue/display/"),
             ("tax", f"{base}/tax/"), ("tax-estimate", f"{base}/tax/estimate/"),
             ("opendata", f"{base}/opendata/"), ("plans", f"{base}/plans/"),
             ("not-found", f"{base}/no-such-page/")]
    complaint = Complaint.objects.filter(organization=org, is_protected=False).first()
    pages.append(("complaint-track", f"{base}/complaints/track/{complaint.tracking_code}/"))
    rated = Complaint.objects.filter(organization=org, is_protected=False, status__in=["resolved", "closed"]).first()
    if rated:
        pages.append(("complaint-rate", f"{base}/complaints/rate/{rated.rating_token}/"))
    asset = Asset.objects.filter(organization=org).first()
    if asset:
        pages.append(("complaint-qr", f"{base}/complaints/qr/{asset.code}/"))
    service = ServiceType.objects.filter(organization=org).first()
    pages += [("eservice-form", f"{base}/eservice/{service.code}/"),
              ("eservice-manual", f"{base}/eservice/{service.code}/manual/")]
    request = ServiceRequest.objects.filter(organization=org).first()
    if request:
        pages.append(("eservice-track", f"{base}/eservice/track/{request.tracking_code}/"))
    queue = Queue.objects.filter(organization=org).first()
    pages.append(("queue-days", f"{base}/queue/{queue.code}/"))
    slot = Slot.objects.filter(queue=queue).order_by("start").first()
    if slot:
        pages.append(("queue-slots", f"{base}/queue/{queue.code}/{slot.date.isoformat()}/"))
    booking = Booking.objects.filter(slot__queue=queue).first()
    if booking:
        pages.append(("queue-ticket", f"{base}/queue/ticket/{booking.token}/"))
    payment = Payment.objects.filter(organization=org).first()
    if payment:
        pages.append(("tax-verify", f"{base}/tax/verify/{payment.verify_code}/"))
    dataset = Dataset.objects.filter(organization=org).first()
    pages.append(("opendata-dataset", f"{base}/opendata/{dataset.name}/"))
    plan = Plan.objects.filter(organization=org, status=Plan.Status.PUBLISHED).first()
    pages.append(("plan", f"{base}/plans/{plan.pk}/"))
    bill = re.search(rf"taxpay {org.slug}: bill (\w+), ID last four (\d{{4}})", out.getvalue())
    return pages, bill.groups() if bill else None


def _check(page, name, problems, shot):
    try:
        page.wait_for_load_state("networkidle", timeout=5000)
    except Exception:  # a live display polls: the page is there all the same
        pass
    shot(page, f"citizen-{name}" if page.viewport_size["width"] < 600 else f"citizen-desktop-{name}")
    for v in axe_violations(page):
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        problems.append(f"{name}: axe {v['id']} ({v['impact']}) -> {targets}")
    clipping = thai_clipping(page)
    for c in clipping["clipped"]:
        problems.append(f"{name}: Thai clipped in <{c['tag']}> {c.get('text', '')[:40]!r}")
    return clipping["checked"]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_citizen_page_is_axe_clean_and_renders_thai_whole(live_server, phone_page, desktop_page, shot, viewport):
    pages, bill = _demo_pages()
    page = phone_page if viewport == "phone" else desktop_page
    problems, checked, seen = [], 0, set()
    for name, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        expected = 404 if name == "not-found" else 200
        if response.status != expected:
            problems.append(f"{name}: {path} answered {response.status}")
            continue
        checked += _check(page, name, problems, shot)
        seen.add(name)
    # The tax bill is reached through its lookup form (number + last four digits of the owner's ID).
    assert bill, "the tax demo prints a bill to look up"
    page.goto(f"{live_server.url}/khamyai/tax/")
    page.fill("#id_number", bill[0])
    page.fill("#id_id_last4", bill[1])
    page.click("#lookup-submit")
    page.wait_for_selector("#bill-qr")
    checked += _check(page, "tax-bill", problems, shot)
    seen.add("tax-bill")
    # Every service's pages were reached, and Thai controls and cells were measured.
    for kind in ("complaint-track", "eservice-form", "queue-days", "tax-bill", "opendata-dataset", "plan"):
        assert kind in seen, kind
    assert checked >= 20, checked
    assert problems == [], "\n".join(problems)


def test_english_citizen_pages_are_axe_clean(live_server, phone_page, shot):
    """The same walk in English (labels change length and language): no serious or critical violation."""
    pages, _bill = _demo_pages()
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    problems = []
    for name, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        if response.status != (404 if name == "not-found" else 200):
            problems.append(f"{name}: {path} answered {response.status}")
            continue
        for v in axe_violations(page):
            problems.append(f"{name} (en): axe {v['id']} ({v['impact']})")
        if name in ("org-home", "plan", "eservice-form", "tax"):
            shot(page, f"citizen-en-{name}")
    assert problems == [], "\n".join(problems)
