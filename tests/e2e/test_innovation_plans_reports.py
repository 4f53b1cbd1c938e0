"""An auditor downloads the PDF and XLSX of a seed plan; the PDF pages rendered to PNG show correct Thai."""

import shutil
import subprocess

import pytest

from tests.e2e.conftest import SHOTS
from tests.pages import base_letters

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _load():
    from innovation_plans.demo import load_demo
    from portal.demo import DEMO_PASSWORD, load_core

    organizations, _ = load_core()
    for organization in organizations.values():
        load_demo(organization)
    return DEMO_PASSWORD


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/?next=/plans/audit/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/plans/audit/")


def test_auditor_downloads_pdf_and_xlsx_of_seed_plan(live_server, desktop_page, shot, tmp_path):
    from openpyxl import load_workbook

    password = _load()
    page = desktop_page
    _login(page, live_server, "auditor-all", password)
    # The summary across organizations lists all three seed plans.
    for name in ("เทศบาลตำบลคำใหญ่", "องค์การบริหารส่วนตำบลนางรอง", "เทศบาลตำบลพรรณานคร"):
        assert page.get_by_text(name).first.is_visible()
    shot(page, "innovation-plans-01-audit-summary")

    page.click("text=แผนงานนวัตกรรมองค์กร เพื่อพัฒนาเทศบาลตำบลพรรณานคร")
    page.wait_for_url("**/phannanakhon/plans/*/report/")
    assert "10,575,000" in page.content()
    shot(page, "innovation-plans-02-report")

    with page.expect_download() as info:
        page.click("#dl-pdf")
    pdf_path = tmp_path / "plan.pdf"
    info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    with page.expect_download() as info:
        page.click("#dl-xlsx")
    xlsx_path = tmp_path / "plan.xlsx"
    info.value.save_as(xlsx_path)
    wb = load_workbook(xlsx_path)
    ws = wb["งบประมาณ"]
    assert ws["B5"].value == 25000 and str(ws["H5"].value).startswith("=SUM(")

    # Render the PDF's first page to PNG (pdftoppm), keep it with the screenshots, and check the Thai text layer.
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is needed"
    prefix = SHOTS / "innovation-plans-03-pdf-page"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf_path), str(prefix)], check=True)
    pngs = sorted(SHOTS.glob("innovation-plans-03-pdf-page*.png"))
    assert pngs
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "2", str(pdf_path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    # The text layer lists glyphs in drawing order, so above/below marks may come apart from their consonant:
    # compare base letters only (the marks' placement is checked on the rendered PNG, looked at by eye).
    flat = base_letters(text)
    for word in ("รายงานผู้ตรวจสอบ", "เทศบาลตำบลพรรณานคร", "ดิจิทัล", "องค์กรแห่งความสุข", "2,115,000"):
        assert base_letters(word) in flat, word
    fonts = subprocess.run(["pdffonts", str(pdf_path)], check=True, capture_output=True).stdout.decode()
    embedded = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    # Every glyph comes from the embedded Sarabun subsets: no fallback font that lacks Thai shaping data.
    assert embedded and all("Sarabun" in name for name in embedded), embedded

    # Show the rendered page in the browser too, so the screenshot is what a person sees.
    page.goto("about:blank")
    page.set_content(f'<img src="data:image/png;base64,{_b64(pngs[0])}" style="width:100%">')
    shot(page, "innovation-plans-04-pdf-rendered")


def _b64(path):
    import base64

    return base64.b64encode(path.read_bytes()).decode()


def test_public_plan_page_on_phone(live_server, phone_page, shot):
    _load()
    page = phone_page
    page.goto(f"{live_server.url}/khamyai/")
    page.click("text=แผนพัฒนานวัตกรรม")
    page.wait_for_url("**/khamyai/plans/")
    page.click("text=แผนพัฒนานวัตกรรมเทศบาลตำบลคำใหญ่")
    assert page.locator("h1").inner_text().startswith("แผนพัฒนานวัตกรรมเทศบาลตำบลคำใหญ่")
    assert page.locator("table.timeline td.tl.on").count() > 0
    assert page.locator("td.mismatch").count() > 0  # the document's 30,000 vs the rows' 10,000
    shot(page, "innovation-plans-05-public-plan-phone")
