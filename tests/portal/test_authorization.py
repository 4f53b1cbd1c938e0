"""Writes are authorized by the acting user's role in the row's OWN organization (portal.access.permissions.require),
whatever roles the user holds elsewhere: admin actions, change forms, services and the API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from complaints import services as complaint_services
from complaints.models import Complaint
from portal.access.permissions import can, require
from portal.models import Notification, Role
from tests.complaints.factories import CategoryFactory, make_complaint
from tests.portal.factories import DepartmentFactory, OrganizationFactory, staff

CHANGELIST = "admin:complaints_complaint_changelist"


@pytest.fixture
def attack(db):
    """Organization A's administrator made `mallory` an officer of A; elsewhere (B, C) she is only an auditor."""
    a, b, c = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    mallory = staff(a, Role.OFFICER)
    from portal.models import Membership

    for org in (b, c):
        Membership.objects.create(user=mallory, organization=org, role=Role.AUDITOR)
    victims = []
    for org in (b, c):
        category = CategoryFactory(organization=org)
        for _ in range(5):
            victims.append(make_complaint(org, category, contact_email="citizen@example.com", notify_channel="email",
                                          pdpa_consent=True, contact_phone="0812345678"))
    own = make_complaint(a, CategoryFactory(organization=a))
    client = Client()
    client.force_login(mallory)
    return {"a": a, "b": b, "c": c, "user": mallory, "victims": victims, "own": own, "client": client}


def _snapshot(complaints):
    return list(Complaint.objects.filter(pk__in=[c.pk for c in complaints]).order_by("pk").values(
        "status", "department_id", "assignee_id", "contact_email", "contact_phone", "anonymized_at"))


def _post_action(client, action, ids):
    return client.post(reverse(CHANGELIST), {"action": action, "_selected_action": [str(i) for i in ids],
                                             "index": "0"})


@pytest.mark.django_db
def test_bulk_accept_on_other_organizations_rows_changes_nothing(attack):
    before, outbox = _snapshot(attack["victims"]), Notification.objects.count()
    response = _post_action(attack["client"], "bulk_accept", [c.pk for c in attack["victims"]])
    assert response.status_code == 403
    assert _snapshot(attack["victims"]) == before
    assert Notification.objects.count() == outbox


@pytest.mark.django_db
def test_one_foreign_row_refuses_the_whole_action(attack):
    ids = [attack["own"].pk, attack["victims"][0].pk]
    response = _post_action(attack["client"], "bulk_accept", ids)
    assert response.status_code == 403
    assert Complaint.objects.get(pk=attack["own"].pk).status == "submitted"


@pytest.mark.django_db
def test_positive_control_own_rows_are_accepted(attack):
    response = _post_action(attack["client"], "bulk_accept", [attack["own"].pk])
    assert response.status_code == 302
    assert Complaint.objects.get(pk=attack["own"].pk).status == "accepted"


@pytest.mark.django_db
def test_anonymise_other_organizations_citizen_is_refused(attack):
    victim = attack["victims"][0]
    for target in ("accepted", "in_progress", "resolved"):
        complaint_services.change_status(complaint=victim, to_status=target, note="x")
    before = _snapshot([victim])
    response = _post_action(attack["client"], "anonymise", [victim.pk])
    assert response.status_code == 403
    assert _snapshot([victim]) == before
    assert Complaint.objects.get(pk=victim.pk).contact_phone == "0812345678"


@pytest.mark.django_db
def test_route_other_organizations_complaint_is_refused(attack):
    """Routing to a department of her own organization is refused on another organization's row; the departments
    of organizations where she only reads are not even offered as actions."""
    victim = attack["victims"][0]
    own_department = DepartmentFactory(organization=attack["a"])
    response = _post_action(attack["client"], f"route_to_{own_department.pk}", [victim.pk])
    assert response.status_code == 403
    elsewhere = DepartmentFactory(organization=victim.organization)
    page = attack["client"].get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert f"route_to_{own_department.pk}" in page and f"route_to_{elsewhere.pk}" not in page
    _post_action(attack["client"], f"route_to_{elsewhere.pk}", [victim.pk])
    assert Complaint.objects.get(pk=victim.pk).department_id is None


@pytest.mark.django_db
def test_services_refuse_a_role_held_only_elsewhere(attack):
    victim, user = attack["victims"][0], attack["user"]
    with pytest.raises(PermissionDenied):
        complaint_services.change_status(complaint=victim, to_status="accepted", actor=user)
    with pytest.raises(PermissionDenied):
        complaint_services.add_reply(complaint=victim, actor=user, message="hi", public=True)
    with pytest.raises(PermissionDenied):
        complaint_services.assign(complaint=victim, actor=user, department=DepartmentFactory(organization=attack["b"]))
    assert Complaint.objects.get(pk=victim.pk).status == "submitted"
    # the same user, in the organization where she is an officer
    complaint_services.change_status(complaint=attack["own"], to_status="accepted", actor=user)


@pytest.mark.django_db
def test_api_transition_on_other_organizations_row_is_refused(attack):
    victim = attack["victims"][0]
    response = attack["client"].post(f"/api/complaints/{victim.tracking_code}/transition/",
                                     {"to_status": "accepted"}, content_type="application/json")
    assert response.status_code in (403, 404)
    assert Complaint.objects.get(pk=victim.pk).status == "submitted"


@pytest.mark.django_db
def test_change_form_post_on_other_organizations_row_is_refused(attack):
    victim = attack["victims"][0]
    department = DepartmentFactory(organization=victim.organization)
    url = reverse("admin:complaints_complaint_change", args=[victim.pk])
    response = attack["client"].post(url, {"category": victim.category_id, "department": department.pk,
                                           "address": "x", "village": "", "assignee": ""})
    assert response.status_code == 403
    assert Complaint.objects.get(pk=victim.pk).department_id is None


@pytest.mark.django_db
def test_corruption_reports_are_governed_by_their_own_permissions(org):
    from complaints.demo import ensure_categories

    cats = ensure_categories(org)
    report, _ = complaint_services.submit_corruption_report(organization=org, category=cats["corruption"],
                                                             description="เรียกรับเงิน")
    administrator, legal = staff(org, Role.ADMINISTRATOR), staff(org, Role.LEGAL_OFFICER)
    plain = Complaint.objects.get(pk=report.pk)  # loaded through the ordinary model, not the proxy
    assert not can(administrator, "change", plain)
    with pytest.raises(PermissionDenied):
        require(administrator, "change", plain)
    assert can(legal, "change", plain)


@pytest.mark.django_db
def test_anonymous_and_inactive_users_are_refused(org):
    from django.contrib.auth.models import AnonymousUser

    complaint = make_complaint(org)
    with pytest.raises(PermissionDenied):
        require(AnonymousUser(), "change", complaint)
    user = staff(org, Role.ADMINISTRATOR)
    user.is_active = False
    user.save()
    assert not can(user, "change", complaint)
