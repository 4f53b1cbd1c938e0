"""Fuzzing: schemathesis over the project's own OpenAPI schema, anonymous and as staff, against a running server,
bounded (a fixed number of generated requests per operation, valid and invalid): no answer may be a 5xx, every
status must be one the schema documents for that operation (portal.api.openapi), and every body must match the
schema documented for its status (errors as JSON). And a property-based test (hypothesis) over the citizen
complaint form's fields: whatever is typed, the answer is a redirect or a 400 page that keeps the text, never a 500."""

import json

import pytest
import requests
import schemathesis
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup

from complaints.demo import ensure_categories
from portal.models import Role
from tests.complaints.factories import make_complaint
from tests.portal.factories import staff

# Examples per operation and session: values the schema allows, and values it forbids (wrong types, missing or
# unknown parameters), which is where undocumented 4xx answers and 5xx show up.
EXAMPLES = ((GenerationMode.POSITIVE, 3), (GenerationMode.NEGATIVE, 3))


@pytest.fixture
def no_throttle(monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    from portal.inputs.ratelimit import WindowThrottle

    for throttle in (SimpleRateThrottle, WindowThrottle):  # 429 is documented, but a throttled call tests nothing
        monkeypatch.setattr(throttle, "allow_request", lambda self, request, view: True)


def documented(operation, status: int) -> bool:
    """schemathesis' status_code_conformance rule: the exact code, its class (4XX) or `default`."""
    codes = {str(code).upper() for code in operation.responses.status_codes}
    return bool({"DEFAULT", str(status), f"{str(status)[0]}XX"} & codes)


def _fuzz_operation(operation, mode, examples, base_url, session, found):
    @given(case=operation.as_strategy(mode))
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call(base_url=base_url, session=session, timeout=20)
        found["calls"] += 1
        request = (case.method, case.formatted_path, case.query, response.text[:200])
        if response.status_code >= 500:
            found["server_errors"].append((response.status_code, *request))
        elif not documented(operation, response.status_code):
            found["undocumented"].setdefault(f"{operation.label} {response.status_code}", request)
        elif response.status_code >= 400 and response.headers.get("content-type") != ["application/json"]:
            # every error body is documented as JSON (portal.api.openapi), not an HTML error page
            content_type = response.headers.get("content-type")
            found["undocumented"].setdefault(f"{operation.label} {response.status_code} {content_type}", request)
        else:
            try:  # the body matches the schema documented for that status (errors included)
                operation.validate_response(response)
            except (Failure, FailureGroup) as exc:
                found["undocumented"].setdefault(f"{operation.label} {response.status_code} body", (*request, exc))

    try:
        run()
    except Unsatisfiable:  # nothing is invalid for some operations (a free-text slug is their only input)
        assert mode is GenerationMode.NEGATIVE


def _fuzz(schema, base_url, session):
    found = {"server_errors": [], "undocumented": {}, "calls": 0}
    for result in schema.get_all_operations():
        for mode, examples in EXAMPLES:
            _fuzz_operation(result.ok(), mode, examples, base_url, session, found)
    return found["server_errors"], found["undocumented"], found["calls"]


@pytest.mark.once  # engine-independent and heavy: runs in one stage (tests/conftest.py)
@pytest.mark.cpu
@pytest.mark.django_db(transaction=True)
def test_schemathesis_anonymous_and_staff_no_server_errors_nor_undocumented_statuses(live_server, org, no_throttle,
                                                                                   settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_categories(org)
    make_complaint(org)
    officer = staff(org, Role.ADMINISTRATOR)
    anonymous = requests.Session()
    as_staff = requests.Session()
    as_staff.auth = (officer.username, "pw-test-12345")
    assert as_staff.get(f"{live_server.url}/api/departments/", timeout=20).status_code == 200
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    for who, session in (("anonymous", anonymous), ("staff", as_staff)):
        server_errors, undocumented, calls = _fuzz(schema, live_server.url, session)
        assert server_errors == [], (who, server_errors)
        assert undocumented == {}, (who, undocumented)
        assert calls > 100


# --- the citizen form, property-based -----------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
NUMBERISH = st.one_of(TEXT, st.sampled_from(["NaN", "inf", "-1e9999", "๑๖.๔๓", "16.4321", "", "1,5", "0x10"]))


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(description=TEXT, latitude=NUMBERISH, longitude=NUMBERISH, village=TEXT, address=TEXT,
       contact_email=TEXT, contact_phone=TEXT, notify_channel=st.sampled_from(["", "sms", "email", "line", "x"]),
       category=st.one_of(st.none(), TEXT))
def test_citizen_form_never_answers_500(description, latitude, longitude, village, address, contact_email,
                                        contact_phone, notify_channel, category):
    from portal.models import Organization

    org = Organization.objects.first()
    if org is None:
        from tests.portal.factories import OrganizationFactory

        org = OrganizationFactory()
        ensure_categories(org)
    cats = ensure_categories(org)
    data = {"category": cats["street_light"].pk if category is None else category, "description": description,
            "latitude": latitude, "longitude": longitude, "village": village, "address": address,
            "contact_email": contact_email, "contact_phone": contact_phone, "notify_channel": notify_channel,
            "pdpa_consent": "on"}
    response = Client(raise_request_exception=False).post(reverse("complaints:new", args=[org.slug]), data)
    assert response.status_code in (302, 400), response.status_code
    typed_nul = any("\x00" in str(v) for v in data.values())  # refused before the form (portal.inputs.text): no form
    if response.status_code == 400 and not typed_nul and description.strip():
        from django.utils.html import escape

        from portal.inputs.text import strip_controls

        kept = escape(strip_controls(description).strip())[:40]
        assert kept in response.content.decode() or not kept


# --- the CKAN Action API (outside the OpenAPI schema), fuzzed from its list of actions ------------------------------

CKAN_PARAMS = {  # the parameters each action reads (others get the generic ones); an unknown one is added too
    "package_search": ["q", "fq", "fq_list", "sort", "rows", "start", "facet.field", "facet.limit", "facet.mincount"],
    "package_list": ["limit", "offset"],
    "organization_list": ["limit", "offset", "all_fields"],
    "datastore_search": ["q", "filters", "fields", "sort", "limit", "offset", "records_format", "include_total",
                         "distinct", "plain", "language"],
    "package_show": ["id"], "resource_show": ["id"], "organization_show": ["id", "include_datasets"],
    "group_show": ["id"], "group_list": ["all_fields"], "tag_list": ["query", "all_fields"], "help_show": ["name"],
}
GENERIC_PARAMS = ["id"]
TRICKY = ["", "*:*", "id asc", "name desc, metadata_modified asc", "shoe size", "metadata_modified:[2024-02-30T00:00:00Z"
          " TO *]", "metadata_modified:[NOW/DAY-1DAY TO NOW+1YEAR}", "owner_org:00000000-0000-0000-0000-000000000000",
          "tags:(", "-organization:x OR", '"', "\\", "2024-02-30", str(2**63), str(2**64), "-1", "1e400", "NaN",
          '{"ประเภท": "ไฟฟ้าส่องสว่าง"}', '{"a b": 1}', '["จำนวน"]', "จำนวน desc", '"จำนวน" desc', "_id", "lists",
          "csv", "objects", "บ้านคำใหญ่", "๑๐", "\x00", "a" * 5000]
NASTY = ["", "*:*", "id asc", "shoe size", "metadata_modified:[2024-02-30T00:00:00Z TO *]", "tags:(", '"', "\\",
         str(2**63), str(2**64), "-1", "1.5", '{"a b": 1}', '{"จำนวน": "x"}', '["จำนวน"]', '"จำนวน" desc', "a" * 5000,
         5, -1, 2**63, 2**64, 1.5, True, None, [], [1], ["จำนวน"], {}, {"a b": 1}, {"จำนวน": "x"}, {"จำนวน": [1, "2"]},
         [{"a": 1}]]
SCALAR = st.one_of(st.sampled_from(TRICKY), TEXT, st.integers(min_value=-(2**70), max_value=2**70), st.booleans(),
                   st.none(), st.floats(allow_nan=True, allow_infinity=True))
JSON_VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.dictionaries(st.sampled_from(TRICKY[:30]) | TEXT,
                                                                               SCALAR, max_size=3))


@pytest.mark.once  # engine-independent and heavy: runs in one stage (tests/conftest.py)
@pytest.mark.cpu
@pytest.mark.django_db(transaction=True)
def test_ckan_actions_never_answer_5xx(live_server, org):
    """Every action of the CKAN API, GET (query string) and POST (JSON body), with parameters it knows and ones it
    does not, values of every JSON type, huge numbers, broken queries and dates: a CKAN envelope and a 2xx/4xx,
    never a 5xx."""
    from opendata import ckan
    from tests.opendata.factories import make_csv_resource, make_dataset

    dataset = make_dataset(org, name="fuzz-data", tags=["ร้องเรียน"])
    resource_ids = [str(make_csv_resource(dataset).id), "00000000-0000-0000-0000-000000000000"]
    session = requests.Session()
    failures = []

    def call(action, params, post):
        url = f"{live_server.url}/api/3/action/{action}"
        if post:
            try:
                response = session.post(url, json=params, timeout=20)
            except (ValueError, requests.exceptions.InvalidJSONError):  # inf and NaN: not JSON
                return
        else:
            query = {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in params.items()}
            response = session.get(url, params=query, timeout=20)
        if response.status_code >= 500 or response.status_code == 429:
            failures.append((action, "POST" if post else "GET", params, response.status_code, response.text[:200]))
            return
        body = response.json()  # a NUL byte is refused before the API by the portal's middleware, not enveloped
        assert body.get("success", False) is (response.status_code == 200), (action, params, body)

    # Every parameter an action reads, alone, with a value of every kind: strings by GET, the others by POST.
    for action in sorted(ckan.ACTIONS):
        for key in CKAN_PARAMS.get(action, GENERIC_PARAMS):
            for value in NASTY:
                call(action, {"resource_id": resource_ids[0], "id": "fuzz-data", key: value},
                     post=not isinstance(value, str))
    # Then hypothesis: several parameters at once, unknown ones among them, values of any JSON type.
    ids = st.sampled_from([resource_ids[0]] * 4 + resource_ids + ["fuzz-data", "fuzz-data", org.slug])
    for action in sorted(ckan.ACTIONS):
        keys = st.sampled_from(CKAN_PARAMS.get(action, GENERIC_PARAMS) + ["unknown"])
        params = st.dictionaries(keys, JSON_VALUE, min_size=1, max_size=4)

        @given(params=params, chosen_id=ids, post=st.booleans(), action=st.just(action))
        @settings(max_examples=20, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(params, chosen_id, post, action):
            call(action, {"resource_id": chosen_id, "id": chosen_id, **params}, post)

        run()
    assert failures == []
