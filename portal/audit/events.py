"""Audit event names, each registered once with the label the audit log shows for it (as Zulip's
`AuditLogEventType` and Wagtail's `register_action` do).

A service app lists its events in `ServiceAppConfig.audit_events` ({"<app>.<thing>.<verb>": label}); the core's
own are below. `portal.audit.trail.record` refuses a name nobody registered, so a typo cannot start a new event
the log filters and reports never see. The admin's plain saves (portal.services.save_row / delete_row) record
"<app>.<model>.added / changed / deleted" for any model: those three verbs are registered for every model.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

_EVENTS: dict[str, object] = {}

# Plain saves from the admin, for any model: "<app>.<model>.<verb>".
GENERIC_VERBS = {"added": _("เพิ่มรายการ"), "changed": _("แก้ไขรายการ"), "deleted": _("ลบรายการ")}


def register(name: str, label) -> str:
    """Register `name` with its label; registering it again with another label is a mistake in the code."""
    if name.count(".") != 2:
        raise ImproperlyConfigured(f"audit event {name!r}: write it as <app>.<thing>.<verb>")
    if name in _EVENTS and str(_EVENTS[name]) != str(label):
        raise ImproperlyConfigured(f"audit event {name!r} is registered twice with different labels")
    _EVENTS[name] = label
    return name


def register_all(events: dict) -> None:
    for name, label in events.items():
        register(name, label)


def is_registered(name: str) -> bool:
    return name in _EVENTS or (name.count(".") == 2 and name.rsplit(".", 1)[1] in GENERIC_VERBS)


def label(name: str):
    """What the log shows for an event ("" for rows written before events had names)."""
    if name in _EVENTS:
        return _EVENTS[name]
    return GENERIC_VERBS.get(name.rsplit(".", 1)[-1], "")


def registered() -> dict:
    return dict(_EVENTS)


# The core's own events.
register_all({
    "portal.fake_organizations.generated": _("สร้างองค์กรทดสอบ"),
    "portal.holiday.seeded": _("เพิ่มวันหยุดราชการจากปฏิทิน"),
    "portal.membership.protected_role_granted": _("ให้สิทธิ์อ่านเรื่องร้องเรียนการทุจริต"),
    "open311.apikey.created": _("สร้างคีย์ Open311 API"),
    "portal.directory.imported": _("นำเข้าทะเบียน อปท."),
    "portal.invitation.sent": _("เชิญผู้ดูแลองค์กร"),
    "portal.invitation.accepted": _("ตอบรับคำเชิญผู้ดูแลองค์กร"),
    "portal.setup.step_saved": _("บันทึกขั้นตอนการตั้งค่าองค์กร"),
    "portal.setup.finished": _("ตั้งค่าองค์กรเสร็จและเปิดหน้าเว็บ"),
    "portal.organization.deactivated": _("ปิดการใช้งานองค์กร"),
    "portal.organization.reactivated": _("เปิดการใช้งานองค์กรอีกครั้ง"),
})
