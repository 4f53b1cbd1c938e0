"""One screen to publish a dataset: metadata with thai-gdc's Thai choices, files chosen in place (checked by content
and size, kept across errors, previewed), and a Publish button that first says what is missing, with links to the
fields, and loses nothing typed or chosen. The states go through opendata.workflow."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opendata import selectors, services, workflow
from opendata.models import Dataset
from portal.models import Role
from tests.audit import rows_for
from tests.complaints.factories import change_page_data
from tests.portal.factories import staff

from .factories import CSV_BYTES, loaded, make_csv_resource, make_dataset

pytestmark = pytest.mark.django_db

ADD = "/admin/opendata/dataset/add/"
FILLED = {
    "title": "สถิติเรื่องร้องเรียนรายเดือน", "notes": "จำนวนเรื่องร้องเรียนแยกตามประเภท",
    "objective": "พันธกิจหน่วยงาน", "data_format": "CSV", "geo_coverage": "ตำบล", "data_source": "สำนักปลัด",
    "maintainer": "สำนักปลัด", "maintainer_email": "saraban@example.go.th",
}


def _clerk(org, role=Role.OFFICER):
    client = Client()
    user = staff(org, role)
    client.force_login(user)
    return client, user


def _csv(name="สถิติ.csv", data=CSV_BYTES):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _add_data(client, org, **fields):
    return change_page_data(client, ADD, fields={"organization": str(org.pk), **FILLED, **fields},
                            button="_publish")


def test_a_clerk_publishes_a_new_dataset_with_a_csv_in_one_submission(org):
    client, clerk = _clerk(org)
    with loaded():
        response = client.post(ADD, {**_add_data(client, org), "files": _csv()})
    dataset = Dataset.objects.get(organization=org)
    assert response.status_code == 302 and response["Location"] == f"/admin/opendata/dataset/{dataset.pk}/change/"
    assert dataset.is_published and dataset.title == FILLED["title"]
    assert dataset.name.isascii() and dataset.name.startswith("sathiti")  # made from the Thai title
    resource = dataset.resources.get()
    assert resource.format == "CSV" and resource.datastore_active and resource.name == "สถิติ"
    assert rows_for(dataset, "opendata.dataset.published").get().actor == clerk
    assert rows_for(resource, "opendata.resource.added").get().actor == clerk
    page = client.get(response["Location"]).content.decode()
    assert "เผยแพร่ “สถิติเรื่องร้องเรียนรายเดือน” แล้ว" in page and dataset.get_absolute_url() in page
    assert "ไฟฟ้าส่องสว่าง" in page and "ทั้งหมด 3 แถว" in page  # the first rows of the file
    assert Client().get(dataset.get_absolute_url()).status_code == 200


def test_publish_with_fields_missing_lists_them_with_links_and_keeps_what_was_typed_and_chosen(org):
    client, _clerk_user = _clerk(org)
    data = _add_data(client, org, maintainer="", data_source="", geo_coverage="")
    response = client.post(ADD, {**data, "files": _csv()})
    page = response.content.decode()
    assert response.status_code == 400 and not Dataset.objects.exists()
    assert "ยังเผยแพร่ไม่ได้ ต้องกรอกอีก 3 ช่อง" in page
    for name, label in [("geo_coverage", "ขอบเขตเชิงภูมิศาสตร์"), ("data_source", "แหล่งที่มา"),
                        ("maintainer", "ผู้ติดต่อ")]:
        assert f'<a href="#id_{name}">{label}</a>' in page
    assert page.count("ต้องกรอกก่อนเผยแพร่") == 3  # beside each field
    assert "สถิติเรื่องร้องเรียนรายเดือน" in page and "saraban@example.go.th" in page  # what was typed
    token = page.split('name="files__kept" value="', 1)[1].split('"', 1)[0]  # the chosen file, kept
    assert "สถิติ.csv" in page and "ไฟฟ้าส่องสว่าง" in page  # kept, with its first rows

    # Filled in, the kept file goes with the form: nothing is chosen twice.
    again = {**data, "maintainer": "สำนักปลัด", "data_source": "สำนักปลัด", "geo_coverage": "ตำบล",
             "files__kept": token}
    with loaded():
        assert client.post(ADD, again).status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.is_published and dataset.resources.get().datastore_active


def test_publish_refuses_data_that_is_not_public_and_says_why_at_the_top(org):
    client, _user = _clerk(org)
    response = client.post(ADD, _add_data(client, org, data_category="ข้อมูลส่วนบุคคล"))
    page = response.content.decode()
    assert response.status_code == 400 and not Dataset.objects.exists()
    assert "ยังเผยแพร่ไม่ได้ ต้องกรอกอีก 1 ช่อง" in page
    assert '<a href="#id_data_category">หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูล: เผยแพร่ได้เฉพาะข้อมูลสาธารณะ' in page


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4 not a table", "ไม่ใช่ CSV"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "ไม่รู้จักเนื้อไฟล์"),
    (CSV_BYTES * 50, "ไฟล์ใหญ่เกิน"),
])
def test_files_are_checked_by_content_and_size_on_the_screen(org, settings, data, message):
    settings.UPLOAD_MAX_BYTES = 2000
    client, _user = _clerk(org)
    response = client.post(ADD, {**_add_data(client, org), "files": _csv("data.csv", data)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Dataset.objects.exists()


def test_saving_a_draft_needs_no_thai_gdc_fields_and_the_screen_says_what_publishing_will_need(org):
    client, _user = _clerk(org)
    data = change_page_data(client, ADD, fields={"organization": str(org.pk), "title": "ร่างชุดข้อมูล"},
                            button="_save")
    assert client.post(ADD, data).status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.state == Dataset.State.DRAFT
    page = client.get(reverse("admin:opendata_dataset_change", args=[dataset.pk])).content.decode()
    assert "ก่อนเผยแพร่ต้องกรอกอีก" in page and '<a href="#id_maintainer_email">' in page
    assert 'name="_publish"' in page


def test_unpublish_button_takes_a_dataset_back_to_draft(org):
    dataset = make_dataset(org, name="to-withdraw")
    client, clerk = _clerk(org)
    url = reverse("admin:opendata_dataset_change", args=[dataset.pk])
    assert 'name="_unpublish"' in client.get(url).content.decode()
    response = client.post(url, change_page_data(client, url, button="_unpublish"))
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.state == Dataset.State.DRAFT
    assert rows_for(dataset, "opendata.dataset.unpublished").get().actor == clerk


def test_a_published_dataset_keeps_its_required_fields(org):
    dataset = make_dataset(org, name="kept-contact")
    client, _user = _clerk(org)
    url = reverse("admin:opendata_dataset_change", args=[dataset.pk])
    response = client.post(url, change_page_data(client, url, fields={"maintainer_email": ""}, button="_save"))
    assert response.status_code == 400 and "ต้องกรอกก่อนเผยแพร่" in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.maintainer_email


def test_the_choices_show_the_schemas_thai_values(org):
    client, _user = _clerk(org)
    page = client.get(ADD).content.decode()
    for value in ("ข้อมูลสถิติ", "เพื่อการให้บริการประชาชน", "เทศบาล/อบต.", "ข้อมูลสาธารณะ", "เปิดเผย", "ไตรมาส"):
        assert f'value="{value}"' in page
    assert "3. ประเภทและวัตถุประสงค์" in page and "ผู้ติดต่อ" in page
    # A new dataset starts from the model's defaults: data in Thai.
    assert 'value="ไทย" id="id_data_language_0" checked' in page


def test_the_workflow_table_is_the_one_place_states_change(org):
    assert workflow.WORKFLOW.allowed("draft", "published") and workflow.WORKFLOW.allowed("published", "draft")
    dataset = make_dataset(org, name="twice")
    with pytest.raises(ValidationError, match="ไม่สามารถเปลี่ยนสถานะ"):
        services.publish(dataset=dataset)
    assert Dataset.State is workflow.State  # the model's states are the workflow's


def test_free_dataset_name_is_romanized_and_unique(org):
    first = selectors.free_dataset_name("สถิติเรื่องร้องเรียน")
    assert first.isascii() and first.startswith("sathiti")
    make_dataset(org, name=first)
    assert selectors.free_dataset_name("สถิติเรื่องร้องเรียน") == f"{first}-2"


def test_admin_home_lists_drafts_and_stale_datasets_of_the_clerks_organizations_only(client, org, other_org):
    draft = make_dataset(org, title="ร่างงบประมาณ", name="draft-one", publish=False)
    stale = make_dataset(org, title="ข้อมูลที่ไม่ได้ปรับปรุง", name="stale-one", update_frequency_unit="เดือน")
    Dataset.objects.filter(pk=stale.pk).update(last_updated_date=dt.date(2020, 1, 1),
                                               metadata_modified=timezone.now() - dt.timedelta(days=2000))
    fresh = make_dataset(org, title="ข้อมูลทันสมัย", name="fresh-one", update_frequency_unit="ปี")
    theirs = make_dataset(other_org, title="ร่างขององค์กรอื่น", name="their-draft", publish=False)
    client.force_login(staff(org, Role.OFFICER))
    page = client.get("/admin/").content.decode()
    assert "ข้อมูลเปิด: ฉบับร่างและชุดข้อมูลที่ต้องปรับปรุง" in page
    assert f'/admin/opendata/dataset/{draft.pk}/change/">ร่างงบประมาณ' in page
    assert f'/admin/opendata/dataset/{stale.pk}/change/">ข้อมูลที่ไม่ได้ปรับปรุง' in page
    assert "ปรับปรุงทุก 1 เดือน" in page
    assert fresh.title not in page and theirs.title not in page
    assert "/admin/opendata/dataset/add/" in page
    # An auditor reads the catalogue but does not publish: no such panel.
    client.force_login(staff(org, Role.AUDITOR))
    assert "ข้อมูลเปิด: ฉบับร่าง" not in client.get("/admin/").content.decode()


def test_the_resource_preview_reads_the_first_rows(org):
    dataset = make_dataset(org, name="preview")
    make_csv_resource(dataset)
    client, _user = _clerk(org)
    page = client.get(reverse("admin:opendata_dataset_change", args=[dataset.pk])).content.decode()
    assert '<th scope="col">ประเภท</th>' in page and "ถนนชำรุด" in page
