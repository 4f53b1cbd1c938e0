"""Plan reports are rendered in the language the person asked in, also when a background worker builds them
(issue 9.2): Thai headings by default, English alone when chosen."""

import csv
import io
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from innovation_plans import reports, selectors, services
from portal.machinery import jobs
from portal.models import BackgroundJob, Role
from tests.innovation_plans.factories import make_plan
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db
THAI = re.compile("[\u0e00-\u0e7f]")


def _xlsx_headings(content):
    """Sheet names and every heading row (the bold, filled cells) of a report workbook."""
    book = load_workbook(io.BytesIO(content))
    headings = list(book.sheetnames)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            headings += [c.value for c in row if c.fill.fgColor.rgb.endswith("DDEBE6") and c.value]
    return headings


def _csv_headings(content):
    """The section titles ("# ...") and the row of column headings under each."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    headings = [rows[0][0]]
    for i, row in enumerate(rows):
        if row and row[0].startswith("# "):
            headings += row + rows[i + 1]
    return headings


def _years(headings):
    return [h for h in headings if not re.fullmatch(r"\d{4}", str(h))]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_report_job_renders_in_the_requesters_language(org, fmt):
    plan = make_plan(org)
    auditor = staff(org, Role.AUDITOR)
    with translation.override("en"):
        job = services.request_report(actor=auditor, fmt=fmt, year=None, plan=plan)
    # The worker runs outside the request, in the site's default language (Thai).
    assert translation.get_language() == "th"
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and not THAI.search(job.message)
    content = job.result.read()
    headings = _years((_xlsx_headings if fmt == "xlsx" else _csv_headings)(content))
    assert len(headings) > 20
    thai = [h for h in headings if THAI.search(str(h))]
    assert not thai, thai


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_report_headings_are_thai_by_default(org, fmt):
    plan = make_plan(org)
    content = reports.build_plan_report(plan, None, fmt)
    headings = _years((_xlsx_headings if fmt == "xlsx" else _csv_headings)(content))
    assert all(THAI.search(str(h)) for h in headings if not str(h).isdigit()), headings


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_summary_headings_follow_the_language(org, fmt):
    make_plan(org)
    auditor = staff(org, Role.AUDITOR)
    lines = selectors.plans_summary_for_auditor(auditor, None, selectors.REPORT_ROLES)
    with translation.override("en"):
        content = reports.build_summary(lines, None, fmt)
    if fmt == "xlsx":
        headings = _xlsx_headings(content)
    else:
        headings = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(headings) >= 12 and not [h for h in headings if THAI.search(str(h))], headings
