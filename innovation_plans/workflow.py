"""Plan states and the transitions allowed between them, checked in one place."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Plan

S = Plan.Status

# (from, to) -> action name shown to staff
TRANSITIONS = {
    (S.DRAFT, S.PUBLISHED): "publish",
    (S.PUBLISHED, S.DRAFT): "unpublish",
    (S.PUBLISHED, S.ARCHIVED): "archive",
    (S.DRAFT, S.ARCHIVED): "archive",
    (S.ARCHIVED, S.DRAFT): "reopen",
}


def allowed(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS


def check(plan: Plan, target: str) -> None:
    if not allowed(plan.status, target):
        raise ValidationError(
            _("เปลี่ยนสถานะจาก %(a)s เป็น %(b)s ไม่ได้")
            % {"a": plan.get_status_display(), "b": S(target).label}
        )


def next_states(plan: Plan) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == plan.status]
