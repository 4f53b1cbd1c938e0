"""Request states and the transitions allowed between them: one table, checked by the shared helper."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.machinery.workflow import Workflow


class Status(models.TextChoices):
    RECEIVED = "received", _("รับคำร้องแล้ว")
    CHECKING = "checking", _("กำลังตรวจสอบ")
    WAITING_CITIZEN = "waiting_citizen", _("รอเอกสารจากผู้ยื่น")
    APPROVED = "approved", _("อนุมัติ")
    REJECTED = "rejected", _("ไม่อนุมัติ")
    COMPLETED = "completed", _("เสร็จสิ้น")
    CANCELLED = "cancelled", _("ยกเลิก")


S = Status
NOTE = {"needs_note": True}

WORKFLOW = Workflow(Status, {
    S.RECEIVED: [S.CHECKING, (S.WAITING_CITIZEN, NOTE), S.APPROVED, (S.REJECTED, NOTE), (S.CANCELLED, NOTE)],
    S.CHECKING: [(S.WAITING_CITIZEN, NOTE), S.APPROVED, (S.REJECTED, NOTE), (S.CANCELLED, NOTE)],
    S.WAITING_CITIZEN: [S.CHECKING, S.APPROVED, (S.REJECTED, NOTE), (S.CANCELLED, NOTE)],
    S.APPROVED: [S.COMPLETED],
    S.REJECTED: [S.COMPLETED],
    S.COMPLETED: [],
    S.CANCELLED: [],
})

OPEN_STATES = frozenset({S.RECEIVED, S.CHECKING, S.WAITING_CITIZEN})
DECIDED_STATES = frozenset({S.APPROVED, S.REJECTED, S.COMPLETED})
CLOSED_STATES = frozenset({S.COMPLETED, S.CANCELLED})
# The citizen rates once a decision has been made.
RATEABLE_STATES = DECIDED_STATES


def check(source: str, target: str, note: str = ""):
    return WORKFLOW.check(source, target, note)


def allowed_targets(source: str) -> list[str]:
    return WORKFLOW.allowed_targets(source)
