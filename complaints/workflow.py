"""Complaint states and the transitions allowed between them: one table, checked in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.machinery.workflow import Transition, TransitionNotAllowed, Workflow

__all__ = ["Status", "WORKFLOW", "Transition", "TransitionNotAllowed", "allowed_targets", "check"]


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("รับเรื่องแล้ว (รอตรวจสอบ)")
    ACCEPTED = "accepted", _("รับเรื่องไว้พิจารณา")
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
    WAITING_CITIZEN = "waiting_citizen", _("รอข้อมูลจากผู้แจ้ง")
    FORWARDED = "forwarded", _("ส่งต่อหน่วยงานอื่น")
    RESOLVED = "resolved", _("แก้ไขเสร็จแล้ว")
    REJECTED = "rejected", _("ไม่รับเรื่อง")
    CLOSED = "closed", _("ปิดเรื่อง")
    REOPENED = "reopened", _("เปิดเรื่องใหม่")


S = Status


# source -> targets. A target with NOTE must carry a note (the officer writes why; shown to the citizen).
NOTE = {"needs_note": True}
WORKFLOW = Workflow(Status, {
    S.SUBMITTED: [S.ACCEPTED, S.IN_PROGRESS, (S.FORWARDED, NOTE), (S.REJECTED, NOTE),
                  (S.CLOSED, NOTE)],
    S.ACCEPTED: [S.IN_PROGRESS, (S.WAITING_CITIZEN, NOTE), (S.FORWARDED, NOTE), (S.RESOLVED, NOTE),
                 (S.REJECTED, NOTE), (S.CLOSED, NOTE)],
    S.IN_PROGRESS: [(S.WAITING_CITIZEN, NOTE), (S.FORWARDED, NOTE), (S.RESOLVED, NOTE), (S.REJECTED, NOTE)],
    S.WAITING_CITIZEN: [S.IN_PROGRESS, (S.RESOLVED, NOTE), (S.REJECTED, NOTE), (S.CLOSED, NOTE)],
    S.FORWARDED: [S.IN_PROGRESS, (S.CLOSED, NOTE)],
    S.RESOLVED: [S.CLOSED, (S.REOPENED, NOTE)],
    S.REJECTED: [S.CLOSED, (S.REOPENED, NOTE)],
    S.CLOSED: [(S.REOPENED, NOTE)],
    S.REOPENED: [S.ACCEPTED, S.IN_PROGRESS, (S.RESOLVED, NOTE), (S.REJECTED, NOTE)],
})
TRANSITIONS = WORKFLOW.transitions

OPEN_STATES = frozenset({S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.REOPENED})
# Open311 has only open / closed; a forwarded case is closed here (another agency owns it).
CLOSED_STATES = frozenset(set(S.values) - set(OPEN_STATES))
# Ratings are asked for once the work is done.
RATEABLE_STATES = frozenset({S.RESOLVED, S.CLOSED})


def allowed_targets(source: str) -> list[str]:
    return WORKFLOW.allowed_targets(source)


def check(source: str, target: str, note: str = "") -> Transition:
    """The transition, or TransitionNotAllowed (a ValidationError) with a message for the officer."""
    return WORKFLOW.check(source, target, note)


def public_label(status: str) -> str:
    return str(Status(status).label) if status in S.values else status


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATES else "closed"
