"""The REST API as clients generated from its own schema use it: `openapi-python-client` builds a client from
/api/schema/ into a temporary folder, every module of it imports, and every operation is called against a live
server with what its signature requires (GETs, the binary tax-bill QR, the anonymous booking POST and the staff
POSTs with HTTP Basic). No API route answers a missing trailing slash with a redirect."""

import base64
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

# engine-independent and heavy (an outside client end to end): runs in one stage (tests/conftest.py)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.once]

PACKAGE = "thai_local_portal_api_client"


@pytest.fixture
def generated(live_server, tmp_path, monkeypatch):
    schema = requests.get(f"{live_server.url}/api/schema/", params={"format": "json"}, timeout=60)
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    tool = Path(sys.executable).parent / "openapi-python-client"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([str(tool), "generate", "--path", "schema.json", "--output-path", "client"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr  # nothing left out of the client
    monkeypatch.syspath_prepend(str(tmp_path / "client"))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        monkeypatch.delitem(sys.modules, name)
    return tmp_path / "client" / PACKAGE


def _modules(root: Path) -> list[str]:
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_a_generated_client_imports_and_calls_get_and_post(generated, live_server, org, settings):
    from complaints.demo import ensure_categories
    from complaints.models import Complaint
    from portal.models import Role
    from tests.complaints.factories import make_complaint
    from tests.eservice.factories import QueueFactory, future_slot
    from tests.portal.factories import staff
    from tests.taxpay.factories import make_bill, tax_org

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    modules = _modules(generated)
    operations = [m for m in modules if ".api." in m and not m.endswith(".api") and m.count(".") == 3]
    assert len(operations) >= 25
    assert [m for m in modules if not m.isascii()] == []  # no class named after a Thai label, vowels dropped
    for name in modules:
        importlib.import_module(name)  # every operation module, POSTs included, imports

    client_module = importlib.import_module(f"{PACKAGE}.client")
    api = f"{PACKAGE}.api"
    anonymous = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)

    # GET, anonymous
    organizations = importlib.import_module(f"{api}.organizations.organizations_list").sync(client=anonymous)
    assert org.slug in [o.slug for o in organizations.results]

    # POST, anonymous: book a slot
    queue = QueueFactory(organization=org, places_per_slot=2)
    slot = future_slot(queue)
    models = importlib.import_module(f"{PACKAGE}.models")
    booking = importlib.import_module(f"{api}.queue.queue_bookings_create").sync_detailed(
        client=anonymous, body=models.BookingRequest(slot=slot.pk, name="สมชาย ใจดี", phone="0812345678"))
    assert booking.status_code == 201, booking.content
    assert booking.parsed.ticket and booking.parsed.slot == slot.pk

    # POST as staff (HTTP Basic): a complaint's status
    officer = staff(org, Role.OFFICER)
    token = base64.b64encode(f"{officer.username}:pw-test-12345".encode()).decode()
    as_staff = client_module.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Basic",
                                                 raise_on_unexpected_status=True)
    complaint = make_complaint(org, ensure_categories(org)["street_light"])
    moved = importlib.import_module(f"{api}.complaints.complaints_transition_create").sync_detailed(
        complaint.tracking_code, client=as_staff, body=models.Transition(to_status=models.ComplaintStatusEnum("accepted")))
    assert moved.status_code == 200, moved.content
    assert Complaint.objects.get(pk=complaint.pk).status == "accepted"

    # A binary answer: the tax bill's QR as PNG bytes
    tax = tax_org()
    bill = make_bill(tax)
    treasurer = staff(tax, Role.FINANCE)  # bills are the finance role's (and administrators')
    token = base64.b64encode(f"{treasurer.username}:pw-test-12345".encode()).decode()
    png = importlib.import_module(f"{api}.tax.tax_bills_qr_png_retrieve").sync(
        bill.pk, client=client_module.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Basic"))
    assert png.payload.read().startswith(b"\x89PNG")


def _call(module, client, known: dict):
    """Call an operation's sync_detailed with the arguments it requires: path parameters from `known` (by the
    operation's name, then by the parameter's), enumerations by their first member, other query values from
    `known`."""
    import enum
    import inspect
    import typing

    function = module.sync_detailed
    hints = typing.get_type_hints(function)
    arguments = {"client": client}
    name = module.__name__.rsplit(".", 1)[1]
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name == "client" or parameter.default is not inspect.Parameter.empty:
            continue
        kind = hints[parameter.name]
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            arguments[parameter.name] = next(iter(kind))
        else:
            arguments[parameter.name] = known.get((name, parameter.name), known.get(parameter.name))
        assert arguments[parameter.name] is not None, f"{name}: no value for {parameter.name}"
    return function(**arguments)


def test_the_generated_client_calls_every_operation(generated, live_server, org, settings):
    """Every operation of the generated client, called with only what its signature requires, answers 2xx and
    its answer parses into the client's models (a list or one object of each kind the API serves)."""
    from django.utils import timezone

    from complaints.demo import ensure_categories
    from innovation_plans.models import MonitoringRecord
    from portal.models import Role
    from tests.complaints.factories import AssetFactory, make_complaint
    from tests.eservice.factories import QueueFactory, future_slot
    from tests.innovation_plans.factories import make_tenant_objects
    from tests.portal.factories import DepartmentFactory, staff
    from tests.taxpay.factories import make_bill

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org.tax_id = "0994000165501"
    org.save()
    administrator = staff(org, Role.ADMINISTRATOR)
    category = ensure_categories(org)["street_light"]
    complaint = make_complaint(org, category)
    plan = make_tenant_objects(org)
    bill = make_bill(org)
    slot = future_slot(QueueFactory(organization=org, places_per_slot=3))
    models = importlib.import_module(f"{PACKAGE}.models")
    known = {
        "tracking_code": complaint.tracking_code, "slug": org.slug,
        ("complaint_assets_retrieve", "id"): AssetFactory(organization=org, category=category).pk,
        ("complaint_categories_retrieve", "id"): category.pk,
        ("departments_retrieve", "id"): DepartmentFactory(organization=org).pk,
        ("innovation_plans_plans_retrieve", "id"): plan.pk,
        ("innovation_plans_activities_retrieve", "id"): plan.activities.first().pk,
        ("innovation_plans_monitoring_retrieve", "id"): MonitoringRecord.objects.filter(activity__plan=plan).first().pk,
        ("tax_bills_retrieve", "id"): bill.pk, ("tax_bills_qr_png_retrieve", "id"): bill.pk,
        "date": timezone.localtime(slot.start).date(), "queue": slot.queue_id, "organization": org.slug,
        "value": 1_000_000.0, "width_cm": 100.0, "height_cm": 50.0,
        ("queue_bookings_create", "body"): models.BookingRequest(slot=slot.pk, name="สมชาย ใจดี", phone="0812345678"),
        ("complaints_transition_create", "body"): models.Transition(to_status=models.ComplaintStatusEnum("accepted")),
        ("complaints_reply_create", "body"): models.Reply(message="รับเรื่องแล้ว จะดำเนินการภายใน 3 วัน"),
    }
    client_module = importlib.import_module(f"{PACKAGE}.client")
    token = base64.b64encode(f"{administrator.username}:pw-test-12345".encode()).decode()
    client = client_module.AuthenticatedClient(base_url=live_server.url, token=token, prefix="Basic",
                                               raise_on_unexpected_status=True)
    operations = [m for m in _modules(generated) if ".api." in m and not m.endswith(".api") and m.count(".") == 3]
    called = {}
    for name in sorted(operations, key=lambda n: n.endswith("_create")):  # reads before the writes change things
        answer = _call(importlib.import_module(name), client, known)
        called[name.rsplit(".", 1)[1]] = answer.status_code
        assert 200 <= answer.status_code < 300, (name, answer.status_code, answer.content[:300])
        assert answer.parsed is not None, name
    assert len(called) == len(operations) >= 25, called
    assert {"queue_bookings_create", "complaints_transition_create", "complaints_reply_create"} <= set(called)


def test_the_schema_is_what_generators_need(live_server):
    schema = requests.get(f"{live_server.url}/api/schema/", params={"format": "json"}, timeout=60).json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation["operationId"].isidentifier(), (path, method)
            body = operation.get("requestBody")
            if body:
                assert list(body["content"]) == ["application/json"], (path, method)


def test_api_routes_answer_without_their_trailing_slash(live_server, org):
    from tests.eservice.factories import QueueFactory, future_slot

    for path in ("/api/organizations", f"/api/organizations/{org.slug}", "/api/complaint-categories"):
        response = requests.get(live_server.url + path, allow_redirects=False, timeout=30)
        assert response.status_code == 200, (path, response.status_code)
    slot = future_slot(QueueFactory(organization=org))
    response = requests.post(f"{live_server.url}/api/queue/bookings", allow_redirects=False, timeout=30,
                             json={"slot": slot.pk, "name": "สมหญิง", "phone": "0812345679"})
    assert response.status_code == 201, response.text
    assert requests.get(f"{live_server.url}/api/nothing-here", allow_redirects=False, timeout=30).status_code == 404
    # Pages keep Django's redirect to the canonical address.
    assert requests.get(f"{live_server.url}/{org.slug}", allow_redirects=False, timeout=30).status_code == 301


def test_a_second_client_built_from_the_schema_calls_get_and_post(live_server, org, settings):
    """aiopenapi3 builds its client from the schema at run time and checks every answer against it (pydantic
    models of the documented bodies): a body or status the schema does not describe fails the call."""
    from aiopenapi3 import OpenAPI

    from complaints.demo import ensure_categories
    from complaints.models import Complaint
    from portal.models import Role
    from tests.complaints.factories import make_complaint
    from tests.eservice.factories import QueueFactory, future_slot
    from tests.portal.factories import staff

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    api = OpenAPI.load_sync(f"{live_server.url}/api/schema/?format=json")
    organizations = api._.organizations_list()
    assert org.slug in [o.slug for o in organizations.results]
    slot = future_slot(QueueFactory(organization=org, places_per_slot=2))
    booking = api._.queue_bookings_create(data={"slot": slot.pk, "name": "สมชาย ใจดี", "phone": "0812345678"})
    assert booking.slot == slot.pk and booking.ticket

    officer = staff(org, Role.OFFICER)
    api.authenticate(basicAuth=(officer.username, "pw-test-12345"))
    complaint = make_complaint(org, ensure_categories(org)["street_light"])
    moved = api._.complaints_transition_create(parameters={"tracking_code": complaint.tracking_code},
                                               data={"to_status": "accepted"})
    assert moved.status == "accepted" and Complaint.objects.get(pk=complaint.pk).status == "accepted"
    listed = api._.complaints_list(parameters={"status": "accepted"})
    assert [c.tracking_code for c in listed.results] == [complaint.tracking_code]
