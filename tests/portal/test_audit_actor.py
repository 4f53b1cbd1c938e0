"""Services name who did it in the audit row they write, also outside a request (portal.audit.trail.acting)."""

import pytest
from auditlog.context import set_extra_data
from auditlog.models import LogEntry

from complaints import services
from portal.models import Department, Role
from tests.complaints.factories import make_complaint
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def _last_row(complaint):
    return LogEntry.objects.get_for_object(complaint).order_by("pk").last()


def test_a_service_run_outside_a_request_names_its_actor(org):
    """A Celery task or a command acting for a staff user: no middleware, the service names the actor."""
    officer = staff(org, Role.OFFICER)
    complaint = make_complaint(org)
    services.change_status(complaint=complaint, to_status="accepted", actor=officer)
    row = _last_row(complaint)
    assert row.changes["status"] == ["submitted", "accepted"] and row.actor == officer
    parks = Department.objects.create(organization=org, code="parks", name_th="กองสวน")
    services.assign(complaint=complaint, actor=officer, department=parks)
    assert _last_row(complaint).actor == officer and "department" in _last_row(complaint).changes


def test_inside_a_request_the_outer_actor_comes_back(org):
    """Nested in the middleware's context (another user, e.g. a superuser acting through a tool): the inner rows
    name the service's user, rows after it the request's user again."""
    officer = staff(org, Role.OFFICER)
    admin = staff(org, Role.ADMINISTRATOR)
    complaint = make_complaint(org)
    parks = Department.objects.create(organization=org, code="parks", name_th="กองสวน")
    with set_extra_data({"actor": admin, "remote_addr": "192.0.2.7"}):
        services.change_status(complaint=complaint, to_status="accepted", actor=officer)
        inner = _last_row(complaint)
        complaint.department = parks
        complaint.save()
        outer = _last_row(complaint)
    assert inner.actor == officer and inner.remote_addr == "192.0.2.7"
    assert outer.actor == admin and outer.pk != inner.pk
    complaint.village = "หมู่ 9"
    complaint.department = None
    complaint.save()
    assert _last_row(complaint).actor is None  # the request's receiver was disconnected when it ended
