"""An organization's own host name: its pages without the /<slug>/ prefix, links and canonical URLs on the host
the citizen used, unknown hosts refused, the shared host unchanged, sessions per host."""

import re

import pytest
from django.test import Client

from complaints.demo import ensure_categories
from complaints.models import Complaint
from eservice.models import Booking
from portal.models import OrganizationHost, Role
from tests.eservice.factories import QueueFactory, future_slot
from tests.portal.factories import staff

HOST = "www.khamyai.go.th"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_queue_calendars():
    from eservice.queues.selectors import forget_calendars

    forget_calendars()
    yield
    forget_calendars()


@pytest.fixture
def own_host(org):
    OrganizationHost.objects.create(organization=org, host=HOST)
    # CSRF checks on, as in a browser: the form's token and the same-host origin must be accepted.
    return Client(HTTP_HOST=HOST, enforce_csrf_checks=True)


def _csrf(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


def test_home_page_and_links_on_the_organizations_own_host(org, own_host):
    home = own_host.get("/")
    html = home.content.decode()
    assert home.status_code == 200 and org.name_th in html
    assert f'<link rel="canonical" href="http://{HOST}/">' in html
    assert 'href="/eservice/"' in html and 'href="/opendata/"' in html and f'href="/{org.slug}/' not in html  # links without the slug prefix
    page = own_host.get("/eservice/")
    assert page.status_code == 200
    assert f'<link rel="canonical" href="http://{HOST}/eservice/">' in page.content.decode()
    # The shared host still serves /<slug>/, with its own canonical URL.
    shared = Client().get(f"/{org.slug}/eservice/")
    assert shared.status_code == 200
    assert f'<link rel="canonical" href="http://testserver/{org.slug}/eservice/">' in shared.content.decode()
    assert org.name_th in Client().get("/").content.decode()


def test_citizen_files_a_complaint_under_the_own_host(org, own_host):
    categories = ensure_categories(org)
    form = own_host.get("/complaints/new/")
    assert form.status_code == 200
    response = own_host.post("/complaints/new/", {
        "csrfmiddlewaretoken": _csrf(form), "category": categories["street_light"].pk,
        "description": "ไฟถนนดับทั้งซอย", "latitude": "16.4321", "longitude": "102.8231", "village": "หมู่ 2",
        "notify_channel": ""}, HTTP_ORIGIN=f"http://{HOST}")
    assert response.status_code == 302, response.content.decode()[:500]
    complaint = Complaint.objects.get()
    assert complaint.organization == org
    assert response["Location"].startswith(f"/complaints/track/{complaint.tracking_code}/")
    assert complaint.tracking_code in own_host.get(response["Location"]).content.decode()


def test_citizen_books_a_queue_under_the_own_host(org, own_host):
    queue = QueueFactory(organization=org)
    slot = future_slot(queue)
    day_url = f"/queue/{queue.code}/{slot.date.isoformat()}/"
    page = own_host.get(day_url)
    assert page.status_code == 200
    response = own_host.post(day_url, {"csrfmiddlewaretoken": _csrf(page), "slot": slot.pk, "name": "สมศรี",
                                       "phone": "0891234567"}, HTTP_ORIGIN=f"http://{HOST}")
    assert response.status_code == 302, response.content.decode()[:500]
    booking = Booking.objects.get()
    assert response["Location"] == f"/queue/ticket/{booking.token}/"
    assert booking.ticket in own_host.get(response["Location"]).content.decode()


def test_unknown_host_is_refused_and_another_origin_is_not_trusted(org, own_host):
    refused = Client(HTTP_HOST="www.unknown.go.th").get("/")
    assert refused.status_code == 400 and "คำขอไม่ถูกต้อง" in refused.content.decode()
    assert "ย้อนกลับไปหน้าก่อน" in refused.content.decode()  # the full Thai error page, not the bare fallback
    assert Client(HTTP_HOST="www.unknown.go.th").get(f"/{org.slug}/").status_code == 400
    assert Client(HTTP_HOST="www.unknown.go.th").get("/healthz").status_code == 200  # the health check as before
    categories = ensure_categories(org)
    form = own_host.get("/complaints/new/")
    forged = own_host.post("/complaints/new/", {
        "csrfmiddlewaretoken": _csrf(form), "category": categories["street_light"].pk,
        "description": "ไฟถนนดับ", "latitude": "16.4321", "longitude": "102.8231"},
        HTTP_ORIGIN="http://www.unknown.go.th")
    assert forged.status_code == 403 and not Complaint.objects.exists()


def test_host_removed_is_refused_and_other_organizations_stay_on_their_own(org, other_org, own_host):
    assert own_host.get(f"/{other_org.slug}/").status_code == 404  # no other organization under this host
    OrganizationHost.objects.filter(host=HOST).delete()
    assert Client(HTTP_HOST=HOST).get("/").status_code == 400


def test_session_cookie_is_per_host(org, own_host, django_user_model):
    user = staff(org, Role.ADMINISTRATOR)
    user.set_password("pw-host-1234")
    user.save()
    client = Client(HTTP_HOST=HOST)
    response = client.post("/admin/login/", {"username": user.username, "password": "pw-host-1234",
                                             "next": "/admin/"})
    assert response.status_code == 302
    assert client.cookies["sessionid"]["domain"] == ""  # a host-only cookie: not sent to other hosts
    assert client.get("/admin/").status_code == 200


def test_only_superusers_register_host_names(org):
    admin = Client()
    admin.force_login(staff(org, Role.ADMINISTRATOR))
    assert admin.get("/admin/portal/organizationhost/add/").status_code == 403
