"""Complaint states and the transitions allowed between them: one table, checked in one place."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("รับเรื่องแล้ว (รอตรวจสอบ) / submitted")
    ACCEPTED = "accepted", _("รับเรื่องไว้พิจารณา / accepted")
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ / in progress")
    WAITING_CITIZEN = "waiting_citizen", _("รอข้อมูลจากผู้แจ้ง / waiting for citizen")
    FORWARDED = "forwarded", _("ส่งต่อหน่วยงานอื่น / forwarded to another agency")
    RESOLVED = "resolved", _("แก้ไขเสร็จแล้ว / resolved")
    REJECTED = "rejected", _("ไม่รับเรื่อง / rejected")
    CLOSED = "closed", _("ปิดเรื่อง / closed")
    REOPENED = "reopened", _("เปิดเรื่องใหม่ / reopened")


S = Status


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    needs_note: bool = False  # the officer must write why (shown to the citizen)


# source -> targets. A target with needs_note=True must carry a note.
_TABLE = {
    S.SUBMITTED: [(S.ACCEPTED, False), (S.IN_PROGRESS, False), (S.FORWARDED, True), (S.REJECTED, True),
                  (S.CLOSED, True)],
    S.ACCEPTED: [(S.IN_PROGRESS, False), (S.WAITING_CITIZEN, True), (S.FORWARDED, True), (S.RESOLVED, True),
                 (S.REJECTED, True), (S.CLOSED, True)],
    S.IN_PROGRESS: [(S.WAITING_CITIZEN, True), (S.FORWARDED, True), (S.RESOLVED, True), (S.REJECTED, True)],
    S.WAITING_CITIZEN: [(S.IN_PROGRESS, False), (S.RESOLVED, True), (S.REJECTED, True), (S.CLOSED, True)],
    S.FORWARDED: [(S.IN_PROGRESS, False), (S.CLOSED, True)],
    S.RESOLVED: [(S.CLOSED, False), (S.REOPENED, True)],
    S.REJECTED: [(S.CLOSED, False), (S.REOPENED, True)],
    S.CLOSED: [(S.REOPENED, True)],
    S.REOPENED: [(S.ACCEPTED, False), (S.IN_PROGRESS, False), (S.RESOLVED, True), (S.REJECTED, True)],
}

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (str(src), str(dst)): Transition(str(src), str(dst), note) for src, targets in _TABLE.items()
    for dst, note in targets
}

OPEN_STATES = frozenset({S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.REOPENED})
# Open311 has only open / closed; a forwarded case is closed here (another agency owns it).
CLOSED_STATES = frozenset(set(S.values) - set(OPEN_STATES))
# Ratings are asked for once the work is done.
RATEABLE_STATES = frozenset({S.RESOLVED, S.CLOSED})


class TransitionNotAllowed(Exception):
    def __init__(self, source, target, reason=""):
        self.source, self.target = source, target
        message = reason or _("ไม่สามารถเปลี่ยนสถานะจาก “%(src)s” เป็น “%(dst)s” / this status change is not allowed") % {
            "src": Status(source).label if source in S.values else source,
            "dst": Status(target).label if target in S.values else target,
        }
        super().__init__(str(message))


def allowed_targets(source: str) -> list[str]:
    return [dst for (src, dst) in TRANSITIONS if src == source]


def check(source: str, target: str, note: str = "") -> Transition:
    """Return the transition or raise TransitionNotAllowed with a message for the officer."""
    transition = TRANSITIONS.get((source, target))
    if transition is None:
        raise TransitionNotAllowed(source, target)
    if transition.needs_note and not (note or "").strip():
        raise TransitionNotAllowed(source, target, str(_(
            "ต้องระบุหมายเหตุเมื่อเปลี่ยนเป็นสถานะนี้ / a note is required for this status change")))
    return transition


def public_label(status: str) -> str:
    return str(Status(status).label) if status in S.values else status


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATES else "closed"
