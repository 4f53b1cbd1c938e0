"""The corruption channel: a report with no name required, followed with a passphrase shown once, and every
staff read of it recorded."""

import re
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from complaints.models import (
    Category,
    Complaint,
)
from portal.audit import trail as audit
from portal.audit.actions import AuditedAction

from .filing import submit_complaint

PASSPHRASE_WORDS = 4


def new_passphrase() -> str:
    alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(PASSPHRASE_WORDS))


def submit_corruption_report(*, organization, category: Category, description: str, concerned_department=None,
                             contact_name: str = "", contact_phone: str = "", contact_email: str = "",
                             pdpa_consent: bool = False, photos=(), photo_files=None) -> tuple[Complaint, str]:
    """Returns the complaint and the passphrase (shown once, stored only as a password hash). `photo_files`: photos
    already checked and re-encoded (as submit_complaint takes them)."""
    if not category.is_protected:
        raise ValidationError({"category": _("ประเภทนี้ไม่ใช่ช่องทางร้องเรียนการทุจริต")})
    if concerned_department is not None and concerned_department.organization_id != organization.pk:
        raise ValidationError({"concerned_department": _("ไม่พบหน่วยงานนี้")})
    passphrase = new_passphrase()
    # One INSERT with the passphrase hash and the department concerned; routed to the category's department
    # (legal affairs), never to the department concerned.
    complaint = submit_complaint(
        organization=organization, category=category, description=description, channel=Complaint.Channel.WEB,
        address="-", contact_name=contact_name, contact_phone=contact_phone, contact_email=contact_email,
        pdpa_consent=pdpa_consent, photos=photos, photo_files=photo_files, passphrase_hash=make_password(passphrase),
        concerned_department=concerned_department)
    return complaint, passphrase


def normalise_passphrase(passphrase: str) -> str:
    """As issued (four groups of four joined by hyphens), from what was typed: spaces or no separator at all."""
    text = re.sub(r"[\s\-\u2010-\u2015_.]+", "", (passphrase or "").strip().lower())
    if len(text) == 4 * PASSPHRASE_WORDS:
        return "-".join(text[i:i + 4] for i in range(0, len(text), 4))
    return (passphrase or "").strip().lower()


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    from django.contrib.auth.hashers import get_hasher

    algorithm = get_hasher().algorithm
    if algorithm not in _DUMMY_HASHES:
        _DUMMY_HASHES[algorithm] = make_password(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[algorithm]


def check_passphrase(complaint: Complaint | None, passphrase: str) -> bool:
    """The same password-hash work whether or not the tracking code exists (`complaint` None), so the answer's
    timing does not tell which codes are real."""
    encoded = complaint.passphrase_hash if complaint is not None and complaint.passphrase_hash else _dummy_hash()
    matched = check_password(normalise_passphrase(passphrase), encoded)
    return matched and complaint is not None and bool(complaint.passphrase_hash)


def log_protected_read(*, complaint: Complaint, actor, where: str):
    """Every staff read of a corruption report leaves an audit row (auditlog ACCESS); only those who may read it."""
    ReadProtected(complaint, actor=actor, where=where).execute()


class ReadProtected(AuditedAction):
    event = "complaints.protectedcomplaint.read"
    permission = "view"  # governed by the ProtectedComplaint role table: legal officers and executives
    audit_action = audit.Action.ACCESS

    def __init__(self, complaint, *, actor, where: str):
        super().__init__(complaint, actor=actor, data={"read": where})

    def write(self):
        return {"read": self.data["read"]}


def log_protected_list_read(*, complaints, actor, where: str):
    """A staff list of corruption reports: one ACCESS row per report shown, written in one INSERT."""
    if not complaints:
        return

    audit.record_many(complaints, actor=actor, event="complaints.protectedcomplaint.read", action=audit.Action.ACCESS,
                      changes={"read": where}, data={"read": where})
