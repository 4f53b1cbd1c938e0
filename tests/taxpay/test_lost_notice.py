""""Lost your notice?": the owner's ID plus a one-time code to the phone on the tax register finds the owner's
bills; the same answer for an ID that is not on the register; codes limited per phone and per client address.
Codes come from a patched generator."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.access import otp
from portal.notifications.sms import LocmemSMSBackend
from taxpay import services
from tests.taxpay.factories import make_bill, tax_org

pytestmark = pytest.mark.django_db

OWNER_ID = "1101700203450"


@pytest.fixture
def bill():
    org = tax_org()
    owner = services.register_owner(organization=org, name="นางสาวใจดี มีที่ดิน", id_number=OWNER_ID)
    owner.contact_phone = "0891112222"
    owner.save()
    return make_bill(org, owner=owner)


@pytest.fixture
def code(monkeypatch):
    monkeypatch.setattr(otp, "new_code", lambda: "731904")


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def send(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)
    return send


def test_owner_id_and_a_code_to_the_registered_phone_open_the_bills(bill, code, post):
    url = reverse("taxpay:lost", args=[bill.organization.slug])
    client = Client()
    assert client.get(reverse("taxpay:index", args=[bill.organization.slug])).content.decode().count(url) == 1
    response = post(client, url, {"action": "send", "owner_id": "1-1017-00203-45-0"})
    assert response.status_code == 302
    assert LocmemSMSBackend.outbox[-1]["to"] == "0891112222" and "731904" in LocmemSMSBackend.outbox[-1]["text"]
    assert 'id="lost-code"' in client.get(response["Location"]).content.decode()
    assert client.post(url, {"action": "code", "code": "000000"}).status_code == 400
    found = client.post(url, {"action": "code", "code": "731904"})
    assert found.status_code == 200 and bill.number in found.content.decode()
    assert f"{bill.amount:,.0f} บาท" in found.content.decode()  # money, not "6000.00"
    assert client.get(reverse("taxpay:bill", args=[bill.organization.slug, bill.number])).status_code == 200


def test_an_id_not_on_the_register_gets_the_same_answer_and_no_sms(bill, code, post):
    url = reverse("taxpay:lost", args=[bill.organization.slug])
    client = Client()
    unknown = post(client, url, {"action": "send", "owner_id": "1101700230708"})
    known = post(Client(), url, {"action": "send", "owner_id": OWNER_ID})
    assert unknown.status_code == known.status_code == 302 and unknown["Location"] == known["Location"]
    assert len(LocmemSMSBackend.outbox) == 1
    assert client.post(url, {"action": "code", "code": "731904"}).status_code == 400


def test_bad_id_is_a_clear_400(bill):
    url = reverse("taxpay:lost", args=[bill.organization.slug])
    response = Client().post(url, {"action": "send", "owner_id": "12345"})
    assert response.status_code == 400 and "13 หลัก" in response.content.decode()


def test_codes_to_the_registered_phone_are_limited(bill, code, post):
    url = reverse("taxpay:lost", args=[bill.organization.slug])
    limit = int(otp.PER_CONTACT_RATES[0].split("/")[0])
    for i in range(limit):
        assert post(Client(REMOTE_ADDR=f"10.5.0.{i}"), url, {"action": "send", "owner_id": OWNER_ID}).status_code == 302
    refused = post(Client(REMOTE_ADDR="10.5.1.1"), url, {"action": "send", "owner_id": OWNER_ID})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert len(LocmemSMSBackend.outbox) == limit


def test_a_code_from_another_browser_opens_nothing(bill, code, post):
    url = reverse("taxpay:lost", args=[bill.organization.slug])
    post(Client(), url, {"action": "send", "owner_id": OWNER_ID})
    other = Client()
    assert other.post(url, {"action": "code", "code": "731904"}).status_code == 400
    assert other.get(reverse("taxpay:bill", args=[bill.organization.slug, bill.number])).status_code == 404


def test_an_id_not_on_the_register_meets_the_same_limit(bill, code, post):
    """The limit on codes answers alike too: an ID with a phone on the register is refused after the limit of
    codes, and so is one that is not on it (else a fourth asking would tell who pays tax here)."""
    url = reverse("taxpay:lost", args=[bill.organization.slug])
    limit = int(otp.PER_CONTACT_RATES[0].split("/")[0])
    answers = {}
    for owner_id in (OWNER_ID, "1101700230708"):
        answers[owner_id] = [post(Client(REMOTE_ADDR=f"10.6.{n}.{i}"), url,
                                  {"action": "send", "owner_id": owner_id}).status_code
                             for n, i in enumerate(range(limit + 1))]
    assert answers[OWNER_ID] == answers["1101700230708"] == [302] * limit + [429]
    assert len(LocmemSMSBackend.outbox) == limit
