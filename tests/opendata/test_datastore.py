"""datastore_search as CKAN's DataStore answers it, driven by the real `ckanapi` client against a live server (run
on SQLite by default and on PostgreSQL with DATABASE_URL): Thai q over values, q per column, numbers as JSON numbers
that filters match, identifiers kept as written, _links.next keeping the query, other record formats, bad input as
CKAN's Validation Error."""

import json

import pytest
import requests
from ckanapi import RemoteCKAN, ValidationError

from tests.opendata.factories import make_csv_resource, make_dataset

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = (
    "หมู่บ้าน,ชื่อ ผู้ติดต่อ,โทรศัพท์,billed,ยอดเงิน,รหัสไปรษณีย์,เลขผู้เสียภาษี\n"
    "บ้านคำใหญ่,นายสมชาย,0812345678,0,1500.50,40000,3100700123456\n"
    "บ้านโนนสูง,นางสมศรี,0898765432,2,0.25,40001,0105536012345\n"
    "บ้านคำใหญ่,นายมานะ,021234567,0,2300,40000,3100700654321\n"
    "บ้านหนองแวง,นางมาลี,0611111111,1,12.75,40002,3100700111111\n"
).encode()


@pytest.fixture
def table(org):
    return str(make_csv_resource(make_dataset(org, name="billing"), data=TABLE, name="ค่าน้ำประปา").id)


@pytest.fixture
def ckan(live_server):
    return RemoteCKAN(live_server.url)


def test_thai_q_over_values_and_q_per_column(ckan, table):
    found = ckan.action.datastore_search(resource_id=table, q="บ้านคำใหญ่")
    assert found["total"] == 2 and {r["ชื่อ ผู้ติดต่อ"] for r in found["records"]} == {"นายสมชาย", "นายมานะ"}
    assert ckan.action.datastore_search(resource_id=table, q="หมู่บ้าน")["total"] == 0  # a column name, not a value
    assert ckan.action.datastore_search(resource_id=table, q="สมศรี")["total"] == 1
    per_column = ckan.action.datastore_search(resource_id=table, q={"ชื่อ ผู้ติดต่อ": "นาง", "หมู่บ้าน": "หนอง"})
    assert [r["ชื่อ ผู้ติดต่อ"] for r in per_column["records"]] == ["นางมาลี"]
    over_get = RemoteCKAN(ckan.address, get_only=True).action.datastore_search(
        resource_id=table, q=json.dumps({"ชื่อ ผู้ติดต่อ": "สมชาย"}))
    assert over_get["total"] == 1
    assert found["total_was_estimated"] is False


def test_numbers_are_numbers_and_identifiers_stay_as_written(ckan, table):
    found = ckan.action.datastore_search(resource_id=table, filters={"billed": 0}, sort="ยอดเงิน desc")
    assert found["total"] == 2
    assert [(r["billed"], r["ยอดเงิน"]) for r in found["records"]] == [(0, 2300), (0, 1500.5)]
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types["billed"] == "int" and types["ยอดเงิน"] == "numeric"
    assert types["โทรศัพท์"] == types["รหัสไปรษณีย์"] == types["เลขผู้เสียภาษี"] == "text"
    assert found["records"][1]["โทรศัพท์"] == "0812345678" and found["records"][0]["โทรศัพท์"] == "021234567"
    assert found["records"][1]["รหัสไปรษณีย์"] == "40000"
    assert ckan.action.datastore_search(resource_id=table, filters={"ยอดเงิน": 0.25})["total"] == 1
    assert ckan.action.datastore_search(resource_id=table, filters={"billed": [1, 2]})["total"] == 2
    assert ckan.action.datastore_search(resource_id=table, filters={"โทรศัพท์": "0898765432"})["total"] == 1


def test_links_next_keeps_the_query_and_other_record_formats(ckan, table, live_server):
    query = {"resource_id": table, "q": "บ้าน", "filters": {"billed": [0, 1]}, "sort": "ยอดเงิน asc",
             "fields": ["หมู่บ้าน", "ยอดเงิน"], "limit": 1}
    page = ckan.action.datastore_search(**query)
    seen = [r["ยอดเงิน"] for r in page["records"]]
    while page["records"]:
        page = requests.get(live_server.url + page["_links"]["next"], timeout=30).json()["result"]
        assert page["limit"] == 1 and [f["id"] for f in page["fields"]] == ["หมู่บ้าน", "ยอดเงิน"]
        seen += [r["ยอดเงิน"] for r in page["records"]]
    assert seen == [12.75, 1500.5, 2300]

    lists = ckan.action.datastore_search(resource_id=table, records_format="lists", fields=["หมู่บ้าน", "billed"],
                                         sort="_id asc")
    assert lists["records"][0] == ["บ้านคำใหญ่", 0]
    as_csv = ckan.action.datastore_search(resource_id=table, records_format="csv", fields=["โทรศัพท์", "ยอดเงิน"],
                                          sort="_id asc", limit=2)
    assert as_csv["records"] == "0812345678,1500.5\n0898765432,0.25\n"


@pytest.mark.parametrize("bad", [
    {"offset": 2**63 + 1}, {"offset": str(2**64)}, {"sort": 5}, {"sort": {"ยอดเงิน": "desc"}},
    {"fields": ["ไม่มีคอลัมน์นี้"]}, {"fields": 7}, {"sort": '"a;drop table" desc'}, {"sort": "ยอดเงิน sideways"},
    {"q": {"ไม่มี คอลัมน์": "x"}}, {"filters": {"billed": "ศูนย์"}}, {"filters": {"billed": 10**30}},
    {"filters": {"billed": {"a": 1}}}, {"records_format": "xml"}, {"limit": -1},
])
def test_bad_input_is_a_validation_error(ckan, table, bad):
    with pytest.raises(ValidationError):
        ckan.action.datastore_search(resource_id=table, **bad)


def test_a_limit_above_the_maximum_is_capped_as_ckan_caps_it(ckan, table, live_server):
    """CKAN's DataStore caps `limit` at ckan.datastore.search.rows_max (32000) silently and answers the limit it
    applied; clients that ask for more (CKAN's own dump pages by 32000 and reads the answered limit back) page by it."""
    found = ckan.action.datastore_search(resource_id=table, limit=100000)
    assert found["limit"] == 32000 and found["total"] == 4 and len(found["records"]) == 4
    assert "limit=32000" in found["_links"]["next"]
    huge = requests.get(f"{live_server.url}/api/3/action/datastore_search",
                        {"resource_id": table, "limit": str(2**64)}, timeout=30).json()
    assert huge["success"] and huge["result"]["limit"] == 32000
