"""The set-up wizard's own steps beyond names and contact (digit style, staff invitations by e-mail) and the hook
through which service apps add theirs (portal.registry.SetupStep): listed after the core's steps for the services
switched on only, their save run in the step's transaction, a secret shown once."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from portal import registry
from portal.models import Membership, Notification, OrganizationSetup, Role
from tests.portal.factories import OrganizationFactory, staff

pytestmark = pytest.mark.django_db
User = get_user_model()


def _link(notification) -> str:
    return re.search(r"https?://\S+", notification.body).group(0)


# --- digit style -----------------------------------------------------------------------------------------------------

def test_digit_style_is_saved_shown_again_and_a_bad_value_is_a_400(clerk, new_org):
    url = f"/{new_org.slug}/setup/digits/"
    assert clerk.post(url, {"public_digits": "roman"}).status_code == 400
    assert clerk.post(url, {"public_digits": "thai"})["Location"] == f"/{new_org.slug}/setup/services/"
    new_org.refresh_from_db()
    assert new_org.public_digits == "thai"
    assert re.search(r'value="thai"[^>]*checked', clerk.get(url).content.decode())


# --- staff invitations -----------------------------------------------------------------------------------------------

def test_staff_invitations_make_accounts_with_their_roles_and_email_a_one_time_link(clerk, clerk_user, new_org):
    url = f"/{new_org.slug}/setup/staff/"
    assert 'name="email_1"' in clerk.get(url).content.decode()
    response = clerk.post(url, {"email_1": "Somchai@Example.com", "role_1": "officer",
                                "email_2": "money@example.com", "role_2": "finance", "email_3": "", "role_3": "officer"})
    assert response.status_code == 302
    somchai = User.objects.get(username="somchai@example.com")
    assert somchai.is_staff and not somchai.has_usable_password()
    assert set(Membership.objects.filter(organization=new_org).values_list("user__username", "role")) == {
        (clerk_user.username, "administrator"), ("somchai@example.com", "officer"), ("money@example.com", "finance")}
    mails = Notification.objects.filter(event="portal.staff_invitation").order_by("recipient")
    assert [m.recipient for m in mails] == ["money@example.com", "somchai@example.com"]
    assert f"/{new_org.slug}/setup/join/" in mails[1].body and "เจ้าหน้าที่การเงิน" in mails[0].body
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Membership),
                                   object_repr__contains="example.com")
    assert rows.count() == 2 and {r.actor_id for r in rows} == {clerk_user.pk}
    assert LogEntry.objects.filter(additional_data__event="portal.setup.step_saved", actor=clerk_user,
                                   additional_data__invited="somchai@example.com").exists()
    # coming back lists the staff; the same person in the same role again gets the link again while they have set
    # no password (the first may have expired), and nothing once they have
    assert "somchai@example.com" in clerk.get(url).content.decode()
    again = {"email_1": "somchai@example.com", "role_1": "officer", "role_2": "officer", "role_3": "officer"}
    clerk.post(url, again)
    resent = Notification.objects.filter(event="portal.staff_invitation", recipient="somchai@example.com")
    assert resent.count() == 2 and "/setup/join/" in resent.order_by("-pk")[0].body
    assert Membership.objects.filter(organization=new_org, user=somchai).count() == 1
    somchai.set_password("Kham-Yai-2568-staff")
    somchai.save()
    clerk.post(url, again)
    assert resent.count() == 2


def test_the_invitation_link_sets_the_first_password_once(clerk, new_org):
    clerk.post(f"/{new_org.slug}/setup/staff/", {"email_1": "somchai@example.com", "role_1": "officer",
                                                 "role_2": "officer", "role_3": "officer"})
    link = _link(Notification.objects.get(recipient="somchai@example.com"))
    path = "/" + link.split("/", 3)[3]
    # the link names its organization: under another organization's address it is not one
    other = OrganizationFactory()
    assert Client().get(path.replace(f"/{new_org.slug}/", f"/{other.slug}/")).status_code == 410
    person = Client()
    page = person.get(path)
    assert page.status_code == 200 and "somchai@example.com" in page.content.decode()
    bad = person.post(path, {"password1": "Kham-Yai-2568-staff", "password2": "something else"})
    assert bad.status_code == 400 and "ไม่ตรงกัน" in bad.content.decode()
    done = person.post(path, {"password1": "Kham-Yai-2568-staff", "password2": "Kham-Yai-2568-staff"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert User.objects.get(username="somchai@example.com").check_password("Kham-Yai-2568-staff")
    assert Client().get(path).status_code == 410, "spent once the password is set"


def test_someone_with_an_account_is_added_without_a_new_account_or_password_link(clerk, new_org):
    elsewhere = staff(OrganizationFactory(), Role.OFFICER, username="nid@example.com")
    clerk.post(f"/{new_org.slug}/setup/staff/", {"email_1": "nid@example.com", "role_1": "auditor",
                                                 "role_2": "officer", "role_3": "officer"})
    assert User.objects.filter(username="nid@example.com").count() == 1
    assert Membership.objects.filter(organization=new_org, user=elsewhere, role="auditor").exists()
    mail = Notification.objects.get(recipient="nid@example.com")
    assert "/setup/join/" not in mail.body and "/admin/login/" in mail.body
    elsewhere.refresh_from_db()
    assert elsewhere.check_password("pw-test-12345"), "their password is left alone"


def test_a_bad_email_or_role_is_a_400_that_keeps_what_was_typed(clerk, new_org):
    response = clerk.post(f"/{new_org.slug}/setup/staff/", {"email_1": "somchai@", "role_1": "finance",
                                                            "email_2": "ok@example.com", "role_2": "executive",
                                                            "role_3": "officer"})
    page = response.content.decode()
    assert response.status_code == 400 and 'value="somchai@"' in page and 'value="ok@example.com"' in page
    assert re.search(r'<option value="executive" selected>', page)
    assert clerk.post(f"/{new_org.slug}/setup/staff/", {"email_1": "a@example.com", "role_1": "superuser",
                                                        "role_2": "officer", "role_3": "officer"}).status_code == 400
    assert not User.objects.filter(username__in=["ok@example.com", "a@example.com"]).exists()


def test_the_service_refuses_a_role_that_is_not_one(clerk_user, new_org):
    from django.core.exceptions import ValidationError

    from portal.onboarding import services

    with pytest.raises(ValidationError):
        services.invite_staff(organization=new_org, people=[("a@example.com", "superuser")], actor=clerk_user,
                              site_url="http://testserver/")
    assert not User.objects.filter(username="a@example.com").exists()


def test_another_organizations_clerk_cannot_invite_staff_here(new_org):
    client = Client()
    client.force_login(staff(OrganizationFactory(), Role.ADMINISTRATOR))
    response = client.post(f"/{new_org.slug}/setup/staff/", {"email_1": "spy@example.com", "role_1": "administrator",
                                                             "role_2": "officer", "role_3": "officer"})
    assert response.status_code == 403
    assert not User.objects.filter(username="spy@example.com").exists()


# --- the hook: service apps' steps -----------------------------------------------------------------------------------

def test_each_switched_on_app_adds_its_steps_after_the_core_in_the_apps_order():
    keys = [step.key for step in registry.setup_steps()]
    assert keys == ["innovation_plans-plan", "eservice-templates", "eservice-queues", "complaints-categories",
                    "taxpay-settings"]
    assert [step.key for step in registry.setup_steps(off=["eservice", "taxpay"])] == [
        "innovation_plans-plan", "complaints-categories"]


def test_the_wizard_lists_only_the_steps_of_the_services_switched_on(clerk, new_org):
    clerk.post(f"/{new_org.slug}/setup/services/", {"on": ["complaints"]})
    page = clerk.get(f"/{new_org.slug}/setup/names/").content.decode()
    assert "ขั้นที่ 1 จาก 9" in page and "complaints-categories" in page and "taxpay-settings" not in page
    assert clerk.get(f"/{new_org.slug}/setup/taxpay-settings/").status_code == 404
    assert clerk.post(f"/{new_org.slug}/setup/staff/", {"skip": "1"})["Location"] == (
        f"/{new_org.slug}/setup/complaints-categories/")
    # resuming goes to the first step not done, the apps' included
    for name in ("names", "contact", "logo", "line", "digits", "departments"):
        clerk.post(f"/{new_org.slug}/setup/{name}/", {"skip": "1"})
    assert clerk.get(f"/{new_org.slug}/setup/")["Location"] == f"/{new_org.slug}/setup/complaints-categories/"


def test_an_apps_validation_error_rolls_the_step_back_and_is_a_400(clerk, new_org, monkeypatch):
    from django.core.exceptions import ValidationError

    from complaints import setup as complaints_setup

    def failing(*, organization, form, actor):
        complaints_setup.save_categories(organization=organization, form=form, actor=actor)
        raise ValidationError("ตรวจไม่ผ่าน")

    step = complaints_setup.setup_steps()[0]
    monkeypatch.setattr(complaints_setup, "setup_steps", lambda: [registry.SetupStep(
        name=step.name, title=step.title, form_class=step.form_class, save=failing)])
    response = clerk.post(f"/{new_org.slug}/setup/complaints-categories/", {"categories": ["road"]})
    assert response.status_code == 400 and "ตรวจไม่ผ่าน" in response.content.decode()
    from complaints.models import Category

    assert not Category.objects.filter(organization=new_org).exists()
    assert "complaints-categories" not in OrganizationSetup.objects.get(organization=new_org).steps_done


def test_the_apps_steps_in_english(clerk, new_org):
    clerk.post("/i18n/setlang/", {"language": "en"})
    pages = {step: clerk.get(f"/{new_org.slug}/setup/{step}/").content.decode()
             for step in ("staff", "eservice-queues", "eservice-templates", "taxpay-settings", "complaints-categories",
                          "innovation_plans-plan")}
    assert "Staff member 1: e-mail" in pages["staff"]
    assert "Queues and office hours" in pages["eservice-queues"] and "Morning: opens" in pages["eservice-queues"]
    assert "Biller ID from the bank" in pages["taxpay-settings"]
    assert "Street light out (done within 3 working days)" in pages["complaints-categories"]
    assert "Revenue collection" in pages["eservice-queues"]
    assert "Complaint categories citizens pick from" in pages["complaints-categories"]
    assert "Innovation plan file" in pages["innovation_plans-plan"]
    assert "Tap-water connection" in pages["eservice-templates"]
    for page in pages.values():
        assert "ขั้นที่" not in page and "บันทึกและไปต่อ" not in page
