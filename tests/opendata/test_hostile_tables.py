"""An open-data table file goes through the portal's one bounded table reader (portal.inputs.tables): a 5 KB
workbook claiming A1:XFD1048576, or a 20 MB CSV of two million columns, is refused with a message,
when the DataStore's background job reads it (datastore.table); the upload's request reads only the file's
structure and the head of a CSV (services.check_upload)."""

import signal
from contextlib import contextmanager
from unittest import mock

import pytest

from opendata import datastore, services
from tests.portal.test_tables import hostile_xlsx

WIDE_CSV = b"123456789," * 2_000_000 + b"\n"


@pytest.fixture(autouse=True)
def _limits_decide(settings):
    """The reader's rows, columns and cells refuse these files, not its clock: a slow machine gives the same answer."""
    settings.TABLE_MAX_SECONDS = 600


@contextmanager
def never_hangs(seconds=300):
    """Fails only if reading never ends, as the old unbounded reader did; how fast the refusal is belongs to
    BENCHMARKS.md ("Hostile tables refused by the one table reader")."""
    def stop(signum, frame):
        raise TimeoutError(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


NO_CELLS = mock.patch("portal.inputs.tables.iter_rows", side_effect=AssertionError("cells read in the request"))


def test_an_uploaded_workbook_is_read_by_a_background_job_that_refuses_it_with_a_reason(org):
    """The upload's request checks the file's structure only (at once); the cells are read by the DataStore's job,
    which refuses the workbook and leaves the reason on the resource and on the job's page."""
    from portal.models import BackgroundJob
    from tests.opendata.factories import loaded, make_dataset

    with NO_CELLS:
        assert services.check_upload(data=hostile_xlsx(), filename="bomb.xlsx") == "XLSX"
    dataset = make_dataset(org, name="bomb")
    with never_hangs(), loaded():
        with NO_CELLS:
            resource = services.add_resource(dataset=dataset, name="bomb", data=hostile_xlsx(), filename="bomb.xlsx")
        job = resource.datastore_job
        assert BackgroundJob.objects.get(pk=job.pk).status == "queued"  # nothing read yet in the request
    resource.refresh_from_db()
    job.refresh_from_db()
    assert not resource.datastore_active and ("คอลัมน์" in resource.datastore_error or "แถว" in resource.datastore_error)
    assert job.status == "failed" and job.message == resource.datastore_error


def test_a_workbook_claiming_the_whole_sheet_is_not_loaded_into_the_datastore():
    with never_hangs(), pytest.raises(datastore.NotATable):
        datastore.table(hostile_xlsx(), "XLSX")


def test_two_million_columns_of_csv_are_refused_by_the_datastore():
    with never_hangs(), pytest.raises(datastore.NotATable) as caught:
        datastore.table(WIDE_CSV, "CSV")
    assert "บรรทัดที่ยาวเกิน" in str(caught.value)


def test_thai_windows_csv_and_a_plain_workbook_still_load():
    fields, records = datastore.table("ชื่อ;จำนวน\nถนน;3\n".encode("cp874"), "CSV")
    assert [f["id"] for f in fields] == ["ชื่อ", "จำนวน"] and records[0]["จำนวน"] == 3
    from tests.portal.test_tables import workbook

    fields, records = datastore.table(workbook({"A1": "ชื่อ", "B1": "จำนวน", "A2": "ถนน", "B2": 3}), "XLSX")
    assert [f["id"] for f in fields] == ["ชื่อ", "จำนวน"] and records[0]["จำนวน"] == 3
