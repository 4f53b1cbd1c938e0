"""Admin list filters on a relation (service type, department, queue, organization) offer only the staff member's
own organizations' rows: never another organization's names, its unpublished service types included."""

import pytest
from django.test import Client

from eservice.models import ServiceType
from portal.models import Role
from tests.eservice.factories import QueueFactory, ServiceTypeFactory, future_slot, make_request
from tests.innovation_plans.factories import make_plan
from tests.portal.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db

PAGES = ["/admin/eservice/servicerequest/", "/admin/eservice/slot/", "/admin/eservice/booking/",
         "/admin/innovation_plans/plan/", "/admin/innovation_plans/activity/"]


def _rows(organization, tag):
    DepartmentFactory(organization=organization, name_th=f"กอง{tag}")
    ServiceTypeFactory(organization=organization, name_th=f"บริการไม่เผยแพร่{tag}", is_public=False)
    queue = QueueFactory(organization=organization, name_th=f"คิว{tag}")
    future_slot(queue)
    make_request(organization)
    make_plan(organization, components=1, activities=1)


def test_list_filters_name_only_the_users_organizations(org, other_org):
    _rows(org, "ของเรา")
    _rows(other_org, "ของเขา")
    ServiceType.objects.filter(organization=org).update(department=None)
    client = Client()
    client.force_login(staff(org, Role.ADMINISTRATOR))
    seen_own = set()
    for url in PAGES:
        page = client.get(url).content.decode()
        assert "ของเขา" not in page, url
        assert other_org.name_th not in page, url
        seen_own.update(tag for tag in ("กองของเรา", "บริการไม่เผยแพร่ของเรา", "คิวของเรา") if tag in page)
    # The filters are there, with the user's own rows.
    assert seen_own == {"กองของเรา", "บริการไม่เผยแพร่ของเรา", "คิวของเรา"}
