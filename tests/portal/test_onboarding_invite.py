"""The installation's superuser invites an organization's first administrator from the national directory: a
one-time, expiring link by e-mail (only its hash kept, compared in constant time), recorded in the audit log; the
invitee sets a password and lands in their organization's set-up wizard."""

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import Client

from portal.models import DirectoryEntry, Invitation, Membership, Notification, Organization, OrganizationHost, Role
from portal.onboarding import services
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db
HOST = "www.khamyai.go.th"
PASSWORD = "Kham-Yai-2568-setup"


@pytest.fixture
def entry():
    return DirectoryEntry.objects.create(code="6460802", kind=Organization.Kind.SAO,
                                         name_th="องค์การบริหารส่วนตำบลคำใหญ่", province="กาฬสินธุ์",
                                         district="ห้วยเม็ก", subdistrict="คำใหญ่")


@pytest.fixture
def root_user(django_user_model):
    return django_user_model.objects.create_superuser("root-inv", "root@example.com", "x")


@pytest.fixture
def root(root_user):
    client = Client()
    client.force_login(root_user)
    return client


def _invite(root, entry, **extra):
    page = root.get(f"/admin/portal/directoryentry/{entry.pk}/invite/")
    assert page.status_code == 200 and 'value="kham-yai"' in page.content.decode(), "slug suggested from geothai"
    return root.post(f"/admin/portal/directoryentry/{entry.pk}/invite/",
                     {"email": "Clerk@KhamYai.example", "slug": "kham-yai", "host": "", **extra})


def _link(response) -> str:
    return re.search(r'id="invitation-link" readonly value="([^"]+)"', response.content.decode()).group(1)


def test_superuser_invites_from_the_directory(root, root_user, entry):
    response = _invite(root, entry, host=HOST)
    assert response.status_code == 200
    link = _link(response)
    organization = Organization.objects.get(slug="kham-yai")
    # made from the directory entry, with the English names of its place, hidden until the clerk finishes
    assert (organization.name_th, organization.kind, organization.is_active) == (
        "องค์การบริหารส่วนตำบลคำใหญ่", Organization.Kind.SAO, False)
    assert (organization.name_en, organization.district_en, organization.province_en) == (
        "Kham Yai Subdistrict Administrative Organization", "Huai Mek", "Kalasin")
    assert re.fullmatch(r"[A-Z]{2,4}", organization.code_prefix)
    entry.refresh_from_db()
    assert entry.organization == organization
    assert OrganizationHost.objects.get(organization=organization).host == HOST
    # the link is on the organization's own host, and its secret is not stored
    invitation = Invitation.objects.get()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert link == f"http://{HOST}/accounts/invitation/{invitation.uuid}/{token}/"
    assert len(token) >= 40 and token not in invitation.token_hash
    assert invitation.email == "clerk@khamyai.example"
    assert dt.timedelta(days=7) - dt.timedelta(minutes=1) < invitation.expires_at - invitation.created_at \
        <= dt.timedelta(days=7)
    mail = Notification.objects.get(channel="email", recipient="clerk@khamyai.example")
    assert link in mail.body and "องค์การบริหารส่วนตำบลคำใหญ่" in mail.subject
    row = LogEntry.objects.get(additional_data__event="portal.invitation.sent")
    assert row.actor == root_user and row.additional_data["organization_id"] == organization.pk
    assert row.additional_data["dla_code"] == "6460802"


def test_invite_form_errors_are_a_400_and_keep_the_input(root, entry, other_org):
    OrganizationHost.objects.create(organization=other_org, host=HOST)
    response = root.post(f"/admin/portal/directoryentry/{entry.pk}/invite/",
                         {"email": "not-an-email", "slug": other_org.slug, "host": HOST})
    html = response.content.decode()
    assert response.status_code == 400
    assert "มีองค์กรใช้ชื่อย่อนี้แล้ว" in html and "มีองค์กรอื่นใช้ชื่อโดเมนนี้แล้ว" in html
    assert 'value="not-an-email"' in html
    assert not Invitation.objects.exists() and entry.organization is None


def test_staff_of_an_organization_cannot_invite(client, org, entry):
    client.force_login(staff(org))
    assert client.get(f"/admin/portal/directoryentry/{entry.pk}/invite/").status_code == 403
    assert client.post(f"/admin/portal/directoryentry/{entry.pk}/invite/",
                       {"email": "a@example.com", "slug": "x-y"}).status_code == 403
    assert not Invitation.objects.exists()


def _path(link):
    return "/" + link.split("/", 3)[3]


def test_the_invitee_sets_a_password_and_lands_in_the_wizard(root, entry):
    path = _path(_link(_invite(root, entry)))
    clerk = Client()
    page = clerk.get(path)
    assert page.status_code == 200 and "clerk@khamyai.example" in page.content.decode()
    # a bad form keeps what was typed and says why, in Thai
    bad = clerk.post(path, {"first_name": "วิไล", "last_name": "ศรีสุข", "password1": PASSWORD, "password2": "x"})
    assert bad.status_code == 400 and "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in bad.content.decode()
    assert 'value="วิไล"' in bad.content.decode()
    weak = clerk.post(path, {"first_name": "วิไล", "last_name": "ศรีสุข", "password1": "12345678",
                             "password2": "12345678"})
    assert weak.status_code == 400 and not get_user_model().objects.filter(email="clerk@khamyai.example").exists()

    done = clerk.post(path, {"first_name": "วิไล", "last_name": "ศรีสุข", "password1": PASSWORD,
                             "password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/kham-yai/setup/"
    user = get_user_model().objects.get(username="clerk@khamyai.example")
    assert user.check_password(PASSWORD) and user.is_staff and not user.is_superuser
    organization = Organization.objects.get(slug="kham-yai")
    assert Membership.objects.filter(user=user, organization=organization, role=Role.ADMINISTRATOR).exists()
    assert clerk.get("/kham-yai/setup/")["Location"] == "/kham-yai/setup/names/", "signed in, at the first step"
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert LogEntry.objects.get(additional_data__event="portal.invitation.accepted").actor == user

    # single use: the same link again is refused, for anybody
    again = Client().get(path)
    assert again.status_code == 410 and "ใช้ไปแล้ว" in again.content.decode()
    assert Client().post(path, {"first_name": "x", "last_name": "y", "password1": PASSWORD,
                                "password2": PASSWORD}).status_code == 410
    assert get_user_model().objects.filter(is_superuser=False).count() == 1


def test_a_wrong_or_expired_link_is_refused(root, entry, monkeypatch):
    link = _link(_invite(root, entry))
    path = _path(link)
    token = path.rstrip("/").rsplit("/", 1)[1]
    wrong = path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert Client().get(wrong).status_code == 404
    other_uuid = re.sub(r"/invitation/[0-9a-f-]+/", "/invitation/00000000-0000-4000-8000-000000000000/", path)
    assert Client().get(other_uuid).status_code == 404

    compared = []
    real = services.hmac.compare_digest
    monkeypatch.setattr(services.hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    assert Client().get(path).status_code == 200
    assert compared, "the secret is compared with hmac.compare_digest (constant time)"

    Invitation.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    expired = Client().get(path)
    assert expired.status_code == 410 and "หมดอายุ" in expired.content.decode()


def test_an_existing_account_with_the_same_email_is_not_taken_over(root, entry, django_user_model):
    path = _path(_link(_invite(root, entry)))
    django_user_model.objects.create_user("clerk@khamyai.example", password="their-own-pw-2568")
    response = Client().post(path, {"first_name": "x", "last_name": "y", "password1": PASSWORD,
                                    "password2": PASSWORD})
    assert response.status_code == 400 and "มีบัญชีของอีเมลนี้อยู่แล้ว" in response.content.decode()
    assert django_user_model.objects.get(username="clerk@khamyai.example").check_password("their-own-pw-2568")
    assert Invitation.objects.get().accepted_at is None
