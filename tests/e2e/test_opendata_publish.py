"""A clerk (an officer of the organization) publishes a dataset with a CSV file from one screen at 1366×768: from the
admin home's open-data panel to the new dataset, the thai-gdc choices ticked, the file chosen in place, Publish
pressed once with the contact e-mail forgotten (the screen lists it with a link, keeps the file), the link
followed, the address typed, Publish again, and the citizen's page opened with the file's first rows.

Clicks (a choice in a drop-down, a ticked box, choosing the file and each button or link count as one; typing does
not): 9 from the admin home to the published dataset on the citizen's page, the forgotten field's link and the
second Publish included; 7 without that mistake. Before the one screen it took about 12 over three screens (the
dataset form, a resource added on another screen, "publish" from the list's actions menu).
Screenshots: opendata-publish-01-home, -02-filled, -03-missing, -04-published, -05-citizen-page.
Every staff page visited passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_axe_clean
from tests.e2e.conftest import _offline
from tests.opendata.factories import CSV_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop_page(browser):
    context = _offline(browser.new_context(viewport={"width": 1366, "height": 768}, locale="th-TH"))
    page = context.new_page()
    yield page
    context.close()


def test_publish_a_dataset_with_a_csv_from_one_screen(live_server, laptop_page, shot, tmp_path):
    from opendata.models import Dataset
    from portal.models import Role
    from tests.portal.factories import OrganizationFactory, staff

    org = OrganizationFactory(slug="khamyai-e2e", name_th="เทศบาลตำบลคำใหญ่")
    clerk = staff(org, Role.OFFICER, username="clerk-od")
    csv_file = tmp_path / "สถิติเรื่องร้องเรียน.csv"
    csv_file.write_bytes(CSV_BYTES)

    page = laptop_page
    clicks = 0
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", "pw-test-12345")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="ข้อมูลเปิด: ฉบับร่างและชุดข้อมูลที่ต้องปรับปรุง")).to_be_visible()
    assert_axe_clean(page)
    shot(page, "opendata-publish-01-home")

    page.click("text=เพิ่มชุดข้อมูลใหม่")
    clicks += 1
    page.wait_for_url("**/admin/opendata/dataset/add/")
    assert_axe_clean(page)
    # One organization: already chosen. The choices are the schema's Thai values, labelled.
    assert page.locator("#id_organization").input_value() == str(org.pk)
    page.fill("#id_title", "สถิติเรื่องร้องเรียนรายเดือน")
    page.fill("#id_notes", "จำนวนเรื่องร้องเรียนแยกตามประเภทและเดือน")
    page.set_input_files("#id_files", str(csv_file))
    clicks += 1
    page.get_by_label("พันธกิจหน่วยงาน").check()
    clicks += 1
    page.get_by_label("CSV", exact=True).check()
    clicks += 1
    page.select_option("#id_geo_coverage", "เทศบาล/อบต.")
    clicks += 1
    page.fill("#id_data_source", "สำนักปลัด")
    page.fill("#id_maintainer", "สำนักปลัด")  # the e-mail forgotten
    shot(page, "opendata-publish-02-filled")
    with page.expect_navigation():
        page.click("#publish-button")
    clicks += 1

    # Refused, saying what is missing with a link to it; what was typed and the chosen file are still there.
    status = page.locator("#publish-status")
    expect(status).to_contain_text("ยังเผยแพร่ไม่ได้ ต้องกรอกอีก 1 ช่อง")
    assert page.locator("#id_title").input_value() == "สถิติเรื่องร้องเรียนรายเดือน"
    expect(page.locator(".kept-name")).to_contain_text("สถิติเรื่องร้องเรียน.csv")
    assert not Dataset.objects.exists()
    assert_axe_clean(page)
    shot(page, "opendata-publish-03-missing")
    status.get_by_role("link", name="อีเมลผู้ติดต่อ").click()
    clicks += 1
    assert page.url.endswith("#id_maintainer_email")
    page.fill("#id_maintainer_email", "saraban@example.go.th")
    with page.expect_navigation():
        page.click("#publish-button")
    clicks += 1

    dataset = Dataset.objects.get(organization=org)
    assert dataset.is_published and dataset.resources.get().datastore_active
    expect(page.locator(".messagelist")).to_contain_text("เผยแพร่ “สถิติเรื่องร้องเรียนรายเดือน” แล้ว")
    expect(page.locator(".resource-preview-table").first).to_contain_text("ไฟฟ้าส่องสว่าง")
    assert_axe_clean(page)
    shot(page, "opendata-publish-04-published")

    with page.expect_navigation():
        page.locator(".messagelist").get_by_role("link", name="เปิดหน้าที่ประชาชนเห็น").click()
    clicks += 1
    assert page.url.endswith(dataset.get_absolute_url())
    expect(page.get_by_role("heading", name="สถิติเรื่องร้องเรียนรายเดือน")).to_be_visible()
    expect(page.get_by_text("สถิติเรื่องร้องเรียน").first).to_be_visible()
    shot(page, "opendata-publish-05-citizen-page")
    assert clicks == 9
