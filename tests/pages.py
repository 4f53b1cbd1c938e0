"""Reading a rendered page the way a citizen sees it."""

import io
import re


def main_text(client, url, language="th"):
    """The visible text of a page's <main> in the given language: scripts, styles and tags dropped, so attributes
    and URLs keep their digits out of the check."""
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    main = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S).group(1)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


def demo_citizen_pages():
    """(name, path) of the citizen pages of the first demo organization, one of each kind, from its demo data."""
    from complaints.models import Asset, Complaint
    from eservice.models import Booking, Queue, ServiceRequest, ServiceType, Slot
    from innovation_plans.models import Plan
    from opendata.models import Dataset
    from portal.demo import load_core, load_services
    from taxpay.models import Payment

    out = io.StringIO()
    organizations, _logins = load_core()
    org = organizations["khamyai"]
    load_services([org], stdout=out)  # every service's demo data, for this organization only: a third of it
    base = f"/{org.slug}"
    pages = [("landing", "/"), ("org-home", f"{base}/"),
             ("complaints", f"{base}/complaints/"), ("complaint-new", f"{base}/complaints/new/"),
             ("complaint-dashboard", f"{base}/complaints/dashboard/"),
             ("integrity-new", f"{base}/integrity/"), ("integrity-status", f"{base}/integrity/status/"),
             ("eservice", f"{base}/eservice/"), ("eservice-track-lookup", f"{base}/eservice/track/"),
             ("queue", f"{base}/queue/"), ("queue-display", f"{base}/queue/display/"),
             ("tax", f"{base}/tax/"), ("tax-estimate", f"{base}/tax/estimate/"), ("tax-lost", f"{base}/tax/lost/"),
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


def base_letters(text):
    """Thai text as a PDF's text layer gives it back: without the above/below marks (drawn apart from their
    consonant) and spaces, sara am as sara aa (drawn as nikhahit + sara aa). Compare both sides through it."""
    marks = {chr(c) for c in [0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)]}
    text = text.replace("\u0e33", "\u0e32")
    return "".join(ch for ch in text if ch not in marks and not ch.isspace())

