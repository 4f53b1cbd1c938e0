"""The audit log in the admin reads in the staff member's language: headings, actions and record types by their
names ("กรรมการ"), not the library's English or the internal model names ("committeemember")."""

import re

import pytest
from auditlog.context import set_actor
from django.test import Client
from django.urls import reverse

from innovation_plans import models as m
from portal.models import Department, Role
from tests.innovation_plans.factories import make_plan
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def audited(org):
    auditor = staff(org, Role.ADMINISTRATOR, first_name="สมศรี")
    plan = make_plan(org, components=1, activities=1)
    committee = m.EvaluationCommittee.objects.create(plan=plan, fiscal_year=2566, order_reference="1/2566")
    with set_actor(auditor):
        member = m.CommitteeMember.objects.create(committee=committee, name="นายทดสอบ ระบบ", role="chair")
        member.position = "ปลัด"
        member.save()
        Department.objects.create(organization=org, name_th="กองช่าง", code="works")
    client = Client()
    client.force_login(auditor)
    return client


def test_audit_log_in_thai(audited):
    html = audited.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    text = _text(html)
    for heading in ("เวลา", "ข้อมูลที่เปลี่ยน", "การกระทำ", "การเปลี่ยนแปลง", "ผู้ทำรายการ", "รหัสคำขอ"):
        assert heading in text, heading
    assert "กรรมการ: นายทดสอบ ระบบ" in text and "หน่วยงาน" in text
    assert "ตำแหน่ง" in text  # the changed field by its label
    for action in ("สร้าง", "แก้ไข"):
        assert action in text
    # The record-type filter lists names people read, not internal model names.
    assert "committeemember" not in text and "evaluationcommittee" not in text and "department" not in text
    for english in ("Resource", "Changes", "Correlation ID", "change:", "changes:", " create ", " update ", "system"):
        assert english not in text, english


def test_audit_log_in_english_when_chosen(audited):
    audited.cookies["django_language"] = "en"
    text = _text(audited.get(reverse("admin:auditlog_logentry_changelist")).content.decode())
    for heading in ("Time", "Record", "Changes", "By", "Request ID", "Record type"):
        assert heading in text, heading
    assert "Member: นายทดสอบ ระบบ" in text and "1 field: Position" in text and "update" in text
    for thai in ("เวลา", "ผู้ทำรายการ", "การเปลี่ยนแปลง", "ช่อง:", "กรรมการ", "หน่วยงาน", "การแจ้งเตือน"):
        assert thai not in text, thai
    assert not re.search("[\u0e00-\u0e7f]s\\b", text)  # no Thai name with an English plural "s" glued on


def test_entry_page_in_thai(audited):
    from auditlog.models import LogEntry

    entry = LogEntry.objects.filter(action=LogEntry.Action.UPDATE).first()
    text = _text(audited.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).content.decode())
    assert "ช่องข้อมูล" in text and "ค่าเดิม" in text and "ค่าใหม่" in text
    assert "Field" not in text and "From" not in text
