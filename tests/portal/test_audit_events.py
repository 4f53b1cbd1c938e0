"""Audit events are registered once with a label (portal.audit.events), and a write that is an action carries its
own permission check and audit row (portal.audit.actions.AuditedAction)."""

import ast
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from complaints import services as complaint_services
from complaints.demo import ensure_categories
from portal.audit import events
from portal.audit import trail as audit
from portal.models import Role
from taxpay import services as tax_services
from taxpay.models import Bill
from tests.audit import rows_for
from tests.portal.factories import staff
from tests.taxpay.factories import OwnerFactory, ParcelFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "complaints", "eservice", "innovation_plans", "opendata", "taxpay")


def recorded_event_names() -> set[str]:
    """Every event name written as a literal in the project: `record(..., event="...")` and an action's
    `event = "..."`."""
    names = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                        "record", "record_many"):
                    names |= {c.value for k in node.keywords if k.arg == "event" for c in ast.walk(k.value)
                              if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.count(".") == 2
                              and not c.value.endswith(".")}  # an f-string's head is not a name
                elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "event" for t in node.targets) \
                        and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    names.add(node.value.value)
    return names


def test_every_event_the_project_records_is_registered_with_a_label():
    names = recorded_event_names()
    assert {"taxpay.bill.superseded", "complaints.protectedcomplaint.read", "portal.holiday.seeded",
            "opendata.dataset.unpublished"} <= names  # a conditional's names too
    assert sorted(n for n in names if not events.is_registered(n)) == []
    assert all(str(events.label(n)) for n in names)


@pytest.mark.django_db
def test_an_unregistered_event_is_refused_and_writes_nothing(org):
    with pytest.raises(ValueError, match="not registered"):
        audit.record(org, actor=audit.system("test"), event="portal.organization.renamed_by_typo")
    assert not LogEntry.objects.filter(additional_data__event="portal.organization.renamed_by_typo").exists()
    assert events.label("complaints.category.changed")  # the admin's plain saves, for any model


@pytest.mark.django_db
def test_a_protected_read_checks_its_own_permission_and_names_the_reader(org):
    report, _passphrase = complaint_services.submit_corruption_report(
        organization=org, category=ensure_categories(org)["corruption"], description="เรียกรับเงิน", pdpa_consent=True)
    officer, legal = staff(org, Role.OFFICER), staff(org, Role.LEGAL_OFFICER)
    with pytest.raises(PermissionDenied):
        complaint_services.log_protected_read(complaint=report, actor=officer, where="change")
    assert not rows_for(report, "complaints.protectedcomplaint.read").exists()
    complaint_services.log_protected_read(complaint=report, actor=legal, where="change")
    row = rows_for(report, "complaints.protectedcomplaint.read").get()
    assert (row.actor, row.action, row.additional_data["read"]) == (legal, LogEntry.Action.ACCESS, "change")


@pytest.mark.django_db
def test_a_tasks_assessment_and_correction_name_the_task(org):
    """taxpay's rows used to drop an actor that was not a signed-in person: a task's run was recorded as nobody."""
    owner = OwnerFactory(organization=org)
    ParcelFactory(organization=org, owner=owner, value_per_wa=D("150000"))
    task = audit.system("task:taxpay.assess")
    tax_services.run_assessment(organization=org, year=2568, actor=task)
    tax_year = tax_services.ensure_tax_year(organization=org, year=2568)
    assessed = rows_for(tax_year, "taxpay.taxyear.assessed").get()
    assert assessed.additional_data["actor"] == "system:task:taxpay.assess"
    bill = Bill.objects.get(organization=org)
    tax_services.correct_bill(bill=bill, reason="แก้ราคาประเมิน", actor=task)
    assert rows_for(bill, "taxpay.bill.superseded").get().additional_data["actor"] == \
        "system:task:taxpay.assess"


def test_every_registered_event_has_a_label_in_both_languages():
    from django.utils import translation

    names = list(events.registered())
    assert len(names) > 20
    with translation.override("th"):
        thai = {name: str(events.label(name)) for name in names}
    with translation.override("en"):
        english = {name: str(events.label(name)) for name in names}
    assert not [n for n in names if not thai[n]], "every event has a Thai label"
    untranslated = [n for n in names if english[n] == thai[n] or re.search("[\u0e00-\u0e7f]", english[n])]
    assert not untranslated, f"add these labels' English to the app's .po: {untranslated}"


@pytest.mark.parametrize(("language", "shown"), [("th", "สร้างคีย์ Open311 API"), ("en", "Create an Open311 API key")])
def test_the_audit_log_shows_the_events_label_not_its_name(org, language, shown):
    from django.test import Client
    from django.urls import reverse

    from portal.open311 import services as open311_services

    open311_services.create_api_key(organization=org, name="app", actor=audit.system("command:create_api_key"))
    client = Client()
    client.force_login(staff(org, Role.ADMINISTRATOR))
    client.cookies["django_language"] = language
    page = client.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    entry = LogEntry.objects.get(additional_data__event="open311.apikey.created")
    detail = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).content.decode()
    assert shown in page and shown in detail
    assert "open311.apikey.created" not in page and "open311.apikey.created" not in detail


# Audit rows are written by portal.audit only: a direct LogEntry write or a hand-fired signal skips the registered
# event, its label and the actor (issue 17: complaints' log_create calls, taxpay's _audit, e-service's pre_save).
DIRECT_AUDIT_WRITE = re.compile(r"\blog_create\(|LogEntry\.objects\.(?:create|bulk_create|get_or_create)\(|"
                                r"\bpre_save\.send\(|\bpost_save\.send\(")


def direct_audit_writes(root: Path) -> list[str]:
    found = []
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts or path.is_relative_to(root / "portal" / "audit"):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if DIRECT_AUDIT_WRITE.search(line):
                    found.append(f"{path.relative_to(root)}:{number}")
    return found


def test_audit_rows_are_written_only_through_portal_audit():
    assert direct_audit_writes(ROOT) == []


def test_the_audit_write_scan_finds_a_planted_direct_write(tmp_path):
    (tmp_path / "taxpay").mkdir()
    (tmp_path / "taxpay" / "services.py").write_text("LogEntry.objects.log_create(bill, action=0)\n")
    (tmp_path / "portal" / "audit").mkdir(parents=True)
    (tmp_path / "portal" / "audit" / "trail.py").write_text("LogEntry.objects.bulk_create(entries)\n")
    assert direct_audit_writes(tmp_path) == ["taxpay/services.py:1"]
