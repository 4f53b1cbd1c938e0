"""Deactivating an organization hides it from every public page and API, and keeps its data for staff."""

import json

import pytest
from django.test import Client

from complaints.models import Complaint
from eservice.models import Booking, Queue, ServiceRequest
from innovation_plans.models import Plan
from opendata.models import Dataset
from portal.demo import load_core, load_services
from taxpay.models import Bill


def _public_urls(org, *, dataset, complaint, request, booking, plan, bill, queue):
    slug = org.slug
    day = "2030-01-07"
    return [
        f"/{slug}/",
        f"/{slug}/complaints/",
        f"/{slug}/complaints/new/",
        f"/{slug}/complaints/track/{complaint.tracking_code}/",
        f"/{slug}/complaints/dashboard/",
        f"/{slug}/complaints/map.json",
        f"/{slug}/integrity/",
        f"/{slug}/eservice/",
        f"/{slug}/eservice/track/{request.tracking_code}/",
        f"/{slug}/queue/",
        f"/{slug}/queue/display/",
        f"/{slug}/queue/{queue.code}/",
        f"/{slug}/queue/ticket/{booking.token}/",
        f"/{slug}/plans/",
        f"/{slug}/plans/{plan.pk}/",
        f"/{slug}/tax/",
        f"/{slug}/tax/bill/{bill.number}/",
        f"/{slug}/opendata/",
        f"/{slug}/opendata/{dataset.name}/",
        f"/{slug}/opendata/catalog.ttl",
        f"/{slug}/api/3/action/package_list",
        f"/api/organizations/{slug}/",
        f"/api/innovation-plans/plans/{plan.pk}/",
    ], day


@pytest.mark.django_db
def test_deactivated_organization_is_gone_from_every_public_surface_and_kept_for_staff(django_user_model):
    organizations, _logins = load_core()
    org = organizations["khamyai"]
    load_services([org])  # the demo's data, one organization only
    dataset = Dataset.objects.published().filter(organization=org).first()
    complaint = Complaint.objects.filter(organization=org, is_protected=False).first()
    service_request = ServiceRequest.objects.filter(organization=org).first()
    booking = Booking.objects.filter(queue__organization=org).first()
    plan = Plan.objects.filter(organization=org, status=Plan.Status.PUBLISHED).first()
    bill = Bill.objects.filter(organization=org).first()
    queue = Queue.objects.filter(organization=org, is_active=True).first()
    assert all([dataset, complaint, service_request, booking, plan, bill, queue]), "the demo has data in every app"
    urls, day = _public_urls(org, dataset=dataset, complaint=complaint, request=service_request, booking=booking,
                             plan=plan, bill=bill, queue=queue)
    anonymous = Client()
    assert all(anonymous.get(url).status_code == 200 for url in urls[:3]), "the pages answer while active"

    org.is_active = False
    org.save()

    for url in urls:
        assert anonymous.get(url).status_code == 404, url

    # Lists and searches of the whole installation no longer name it.
    assert org.name_th not in anonymous.get("/").content.decode()
    assert org.name_th not in anonymous.get("/", {"q": org.province}).content.decode()
    assert org.slug not in _json(anonymous.get("/api/organizations/"))
    assert org.slug not in _json(anonymous.get("/api/complaint-categories/"))
    assert org.slug not in _json(anonymous.get("/api/innovation-plans/plans/"))
    assert org.slug not in _json(anonymous.get("/api/3/action/organization_list"))
    assert dataset.name not in _json(anonymous.get("/api/3/action/package_list"))
    assert dataset.name not in _json(anonymous.get("/api/3/action/package_search", {"rows": 1000}))
    assert anonymous.get("/api/3/action/package_show", {"id": dataset.name}).status_code == 404
    assert anonymous.get("/api/3/action/organization_show", {"id": org.slug}).status_code == 404
    assert dataset.name not in anonymous.get("/opendata/").content.decode()
    assert dataset.name not in anonymous.get("/opendata/catalog.ttl").content.decode()
    assert dataset.name not in anonymous.get("/opendata/catalog.jsonld").content.decode()
    assert anonymous.get("/open311/v2/services.json", {"jurisdiction_id": org.slug}).status_code == 404
    assert anonymous.get("/open311/v2/requests.json", {"jurisdiction_id": org.slug}).status_code == 404
    assert anonymous.get(f"/open311/v2/requests/{complaint.tracking_code}.json",
                         {"jurisdiction_id": org.slug}).status_code == 404
    slots = anonymous.get("/api/queue/slots/", {"organization": org.slug, "date": day})
    assert slots.status_code in (400, 404) and "ไม่พบองค์กร" in slots.content.decode()
    assert anonymous.post("/api/queue/bookings/", {"slot": booking.slot_id, "name": "ก", "phone": "0812345678"},
                          content_type="application/json").status_code in (400, 404, 409)

    # The data stays, and the installation's staff still see it.
    assert Complaint.objects.filter(pk=complaint.pk).exists() and Dataset.objects.filter(pk=dataset.pk).exists()
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("root-deact", "r@example.com", "x"))
    assert admin.get(f"/admin/portal/organization/{org.pk}/change/").status_code == 200
    listing = admin.get("/admin/complaints/complaint/", {"q": complaint.tracking_code}).content.decode()
    assert complaint.tracking_code in listing


def _json(response) -> str:
    assert response.status_code == 200, response.content[:300]
    return json.dumps(response.json(), ensure_ascii=False)
