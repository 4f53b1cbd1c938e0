"""The read replica (DATABASE_REPLICA_URL): the anonymous catalogue, the CKAN API and the auditor's reports read
from it; a write path, a signed-in person's catalogue, staff memberships and anything kept in the shared cache read
the primary; without the variable there is no alias and no router.

The replica here is a second connection to the test database (as a TEST MIRROR is), so the tests are transactional:
rows must be committed to be seen through it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from portal.machinery import dbrouting
from tests.portal.factories import OrganizationFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def replica(transactional_db, settings, monkeypatch):
    """A "replica" connection to the test database, and the router, as DATABASE_REPLICA_URL gives."""
    from django.db.utils import load_backend

    settings_dict = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    connections[dbrouting.REPLICA] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict,
                                                                                          dbrouting.REPLICA)
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    settings.DATABASE_ROUTERS = ["portal.machinery.dbrouting.ReplicaRouter"]
    yield connections[dbrouting.REPLICA]
    connections[dbrouting.REPLICA].close()
    del connections[dbrouting.REPLICA]


def _queries(alias):
    return CaptureQueriesContext(connections[alias])


def test_the_anonymous_catalogue_and_ckan_api_read_the_replica(replica, client):
    from tests.opendata.factories import make_dataset

    organization = OrganizationFactory(slug="khamyai")
    make_dataset(organization, name="budget-2568", title="งบประมาณ ๒๕๖๘")
    with _queries(dbrouting.REPLICA) as on_replica, _queries(DEFAULT_DB_ALIAS) as on_primary:
        page = client.get(f"/{organization.slug}/opendata/budget-2568/")
    assert page.status_code == 200 and "งบประมาณ" in page.content.decode()
    assert [q for q in on_replica if "opendata_dataset" in q["sql"]]
    assert not [q for q in on_primary if "opendata_" in q["sql"]]  # no catalogue read on the primary
    with _queries(dbrouting.REPLICA) as on_replica:
        assert client.get("/opendata/").status_code == 200
        assert client.get("/api/3/action/package_show?id=budget-2568").json()["result"]["name"] == "budget-2568"
        assert client.get("/api/3/action/organization_list").json()["result"] == ["khamyai"]
    assert len(on_replica) > 0


def test_kept_search_answers_are_built_from_the_primary(replica, client):
    """package_search's answers and package texts are kept in the shared cache for every node (under the
    catalogue's version): built from the primary, never from a lagging replica."""
    from tests.opendata.factories import make_dataset

    make_dataset(OrganizationFactory(), name="roads", title="ถนน")
    with _queries(dbrouting.REPLICA) as on_replica:
        assert client.get("/api/3/action/package_search?rows=10").json()["result"]["count"] == 1
    assert not [q for q in on_replica if "opendata_" in q["sql"]]  # the answer and the package texts: kept
    with _queries(dbrouting.REPLICA) as on_replica:
        assert client.get("/opendata/?q=ถนน").status_code == 200
    assert not [q for q in on_replica if "opendata_datasetterm" in q["sql"]]  # the search: kept; the rows shown
    assert [q for q in on_replica if "opendata_dataset" in q["sql"]]  # are read for the page, from the replica


def test_an_unreachable_replica_falls_back_to_the_primary(replica, client):
    from tests.opendata.factories import make_dataset

    make_dataset(OrganizationFactory(), name="roads", title="ถนนในตำบล")
    replica.close()
    replica.settings_dict = {**replica.settings_dict, "NAME": "/nonexistent/folder/replica.sqlite3",
                             "HOST": "127.0.0.1", "PORT": "1"}
    page = client.get("/opendata/")
    assert page.status_code == 200 and "ถนนในตำบล" in page.content.decode()


def test_a_kept_value_is_built_from_the_primary(replica, client):
    """package_list's names are kept in the shared cache for every node: built from the primary, never from a
    lagging replica, even in a replica-reading request."""
    from tests.opendata.factories import make_dataset

    make_dataset(OrganizationFactory(), name="roads")
    with _queries(dbrouting.REPLICA) as on_replica:
        assert client.get("/api/3/action/package_list").json()["result"] == ["roads"]
    assert not [q for q in on_replica if "opendata_dataset" in q["sql"]]


def test_a_signed_in_persons_catalogue_and_a_write_path_read_the_primary(replica, client):
    from complaints.demo import ensure_categories
    from complaints.models import Complaint
    from tests.portal.factories import staff

    organization = OrganizationFactory(slug="khamyai")
    categories = ensure_categories(organization)
    client.force_login(staff(organization))
    with _queries(dbrouting.REPLICA) as on_replica:
        assert client.get("/opendata/").status_code == 200
    assert len(on_replica) == 0

    client.logout()
    with _queries(dbrouting.REPLICA) as on_replica:
        response = client.post(f"/{organization.slug}/complaints/new/", {
            "category": categories["road"].pk, "description": "ถนนหน้าวัดเป็นหลุมลึก", "village": "หมู่ 2"})
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200  # the tracking page, right after the write
    assert Complaint.objects.filter(organization=organization).count() == 1
    assert len(on_replica) == 0


def test_reads_inside_a_transaction_and_of_memberships_stay_on_the_primary(replica):
    from django.db import transaction

    from portal.models import Membership, Organization

    OrganizationFactory()
    with dbrouting.replica_reads():
        with _queries(dbrouting.REPLICA) as on_replica:
            assert Organization.objects.count() == 1
            assert Membership.objects.count() == 0
            with transaction.atomic():
                Organization.objects.count()
    assert len(on_replica) == 1  # the first count only
    with _queries(dbrouting.REPLICA) as on_replica:
        Organization.objects.count()  # outside replica_reads()
    assert len(on_replica) == 0


def test_the_auditors_summary_download_reads_the_replica(replica, client):
    from portal.access.roles import Role
    from tests.innovation_plans.factories import make_plan
    from tests.portal.factories import staff

    organization = OrganizationFactory()
    make_plan(organization)
    client.force_login(staff(organization, role=Role.AUDITOR))
    with _queries(dbrouting.REPLICA) as on_replica:
        response = client.get("/plans/audit/summary.csv")
    assert response.status_code == 200
    assert [q for q in on_replica if "innovation_plans_" in q["sql"]]
    assert not [q for q in on_replica if "portal_membership" in q["sql"]]


def _settings_in_a_fresh_process(**environ):
    code = ("import json, portal.settings as s; "
            "print(json.dumps({'aliases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS, "
            "'mirror': s.DATABASES.get('replica', {}).get('TEST')}))")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"} | environ
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_the_variable_nothing_changes():
    assert _settings_in_a_fresh_process() == {"aliases": ["default"], "routers": [], "mirror": None}
    with_replica = _settings_in_a_fresh_process(DATABASE_REPLICA_URL="postgres://reader@replica.example:5432/portal")
    assert with_replica == {"aliases": ["default", "replica"], "routers": ["portal.machinery.dbrouting.ReplicaRouter"],
                            "mirror": {"MIRROR": "default"}}


def test_the_router_without_a_replica_alias_reads_the_primary(db):
    from portal.models import Organization

    with dbrouting.replica_reads():
        assert dbrouting.ReplicaRouter().db_for_read(Organization) == DEFAULT_DB_ALIAS
