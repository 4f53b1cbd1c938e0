"""Writes name who made them: the admin's plain editing goes through portal.services.save_row / delete_row, and the
services that counted or created rows without naming anyone now do (issue 8, item 3)."""

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from complaints import services
from complaints.models import Asset, Category
from portal.models import ApiKey, Role
from portal.open311.services import create_api_key
from tests.audit import rows_for
from tests.complaints.factories import AssetFactory, CategoryFactory
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def _events(obj):
    return list(rows_for(obj).values_list("additional_data__event", "additional_data__actor"))


def test_a_category_changed_in_the_admin_is_saved_by_the_service_naming_the_user(client, org):
    administrator = staff(org, Role.ADMINISTRATOR)
    category = CategoryFactory(organization=org, sla_days=5)
    client.force_login(administrator)
    url = reverse("admin:complaints_category_change", args=[category.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({"sla_days": 9, "department": "", "is_public": "on", "is_active": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    category.refresh_from_db()
    assert category.sla_days == 9
    row = rows_for(category, "complaints.category.changed").get()
    assert row.actor == administrator and row.changes["sla_days"] == 9


def test_assets_deleted_from_the_admin_list_are_audited_one_by_one(client, org):
    administrator = staff(org, Role.ADMINISTRATOR)
    assets = [AssetFactory(organization=org) for _ in range(2)]
    client.force_login(administrator)
    response = client.post(reverse("admin:complaints_asset_changelist"),
                           {"action": "delete_selected", "_selected_action": [a.pk for a in assets], "post": "yes"})
    assert response.status_code == 302
    assert not Asset.objects.exists()
    rows = LogEntry.objects.filter(additional_data__event="complaints.asset.deleted")
    assert sorted(rows.values_list("object_pk", flat=True)) == sorted(str(a.pk) for a in assets)
    assert {row.actor for row in rows} == {administrator}


def test_a_holiday_added_by_a_superuser_is_audited(admin_client, admin_user):
    from portal.models import Holiday

    response = admin_client.post(reverse("admin:portal_holiday_add"), {"date": "5/12/2568", "name": "วันพ่อ"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    holiday = Holiday.objects.get()
    assert rows_for(holiday, "portal.holiday.added").get().actor == admin_user


def test_create_api_key_names_who_asked_for_it(org):
    officer = staff(org, Role.ADMINISTRATOR)
    key, _raw = create_api_key(organization=org, name="app", actor=officer)
    row = rows_for(key, "open311.apikey.created").get()
    assert row.actor == officer and row.changes == {"name": "app", "prefix": key.prefix}
    assert row.additional_data["organization_id"] == org.pk


def test_the_create_api_key_command_names_itself(org, capsys):
    call_command("create_api_key", org=org.slug, name="open311")
    key = ApiKey.objects.get()
    assert _events(key) == [("open311.apikey.created", "system:command:create_api_key")]


def test_a_qr_scan_is_counted_and_recorded_as_a_public_scan(client, org):
    asset = AssetFactory(organization=org, code="LS-042")
    client.get(reverse("complaints:qr-scan", args=[org.slug, "LS-042"]))
    asset.refresh_from_db()
    assert asset.scan_count == 1
    assert _events(asset) == [("complaints.asset.scanned", "system:public:qr-scan")]


def test_reference_data_saved_outside_the_admin_is_not_audited_twice(org):
    """save_row writes exactly one explicit row per save (auditlog's own field diff is separate)."""
    from portal.services import save_row

    administrator = staff(org, Role.ADMINISTRATOR)
    category = save_row(obj=Category(organization=org, code="x", name_th="ก", sla_days=3), actor=administrator,
                        changed=["name_th"])
    assert _events(category) == [("complaints.category.added", administrator.get_username())]


def test_a_citizens_rating_names_the_citizen_with_the_tracking_code(org):
    from tests.complaints.factories import make_complaint

    complaint = make_complaint(org, channel="line")
    services.change_status(complaint=complaint, to_status="accepted")
    services.change_status(complaint=complaint, to_status="resolved", note="ok")
    services.rate(complaint=complaint, score=4)
    rated = rows_for(complaint, "complaints.complaint.rated").get()
    assert (rated.additional_data["actor"], rated.additional_data["tracking_code"]) == \
        ("citizen:web", complaint.tracking_code)
    assert rated.changes == {"score": [None, 4]} and rated.additional_data["organization_id"] == org.pk


def test_a_line_chat_started_and_stopped_is_recorded_as_the_citizen_on_line(org):
    from tests.complaints.factories import make_complaint

    conversation = services.start_line_conversation(organization=org, line_user_id="U1")
    assert _events(conversation) == [("complaints.lineconversation.started", "citizen:line")]
    complaint = make_complaint(org, line_user_id="U1", notify_channel="line", pdpa_consent=True)
    assert services.stop_line_updates(organization=org, line_user_id="U1") == 1
    row = rows_for(complaint, "complaints.complaint.line_updates_stopped").get()
    assert row.additional_data["actor"] == "citizen:line"
    complaint.refresh_from_db()
    assert complaint.line_user_id == "" and complaint.notify_channel == ""


def test_the_seed_holidays_command_names_itself_on_each_holiday_it_adds():
    from portal.models import Holiday

    call_command("seed_holidays", from_year=2026, to_year=2026)
    songkran = Holiday.objects.get(date="2026-04-13")
    assert _events(songkran) == [("portal.holiday.seeded", "system:command:seed_holidays")]
    call_command("seed_holidays", from_year=2026, to_year=2026)
    assert LogEntry.objects.filter(additional_data__event="portal.holiday.seeded").count() == \
        Holiday.objects.count()


def test_the_fake_data_commands_name_themselves(org):
    from complaints.models import Complaint
    from opendata.models import Dataset

    call_command("make_fake_complaints", org=org.slug, count=3, batch=2)
    assert Complaint.objects.filter(organization=org).count() == 3
    assert _events(org) == [("complaints.fake_complaints.generated", "system:command:make_fake_complaints")]
    call_command("make_fake_datasets", count=2, organizations=1, batch=2)
    assert Dataset.objects.count() == 2
    row = LogEntry.objects.get(additional_data__event="opendata.fake_datasets.generated")
    assert row.additional_data["actor"] == "system:command:make_fake_datasets" and row.additional_data["count"] == 2
