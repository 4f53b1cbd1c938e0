"""Writes of the shared core."""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Membership, Role
from .permissions import PROTECTED_ROLES, require


def check_role_grant(*, granted_by, role) -> None:
    """The roles that read corruption reports with the reporter's contact (legal officer, executive) are granted
    by the installation's superuser only: an organization administrator cannot give them to anybody, themself
    included. `granted_by=None` is a management command run by the operator."""
    if role in PROTECTED_ROLES and granted_by is not None and not granted_by.is_superuser:
        raise PermissionDenied(_("บทบาทนิติกรและผู้บริหารกำหนดได้โดยผู้ดูแลระบบของการติดตั้งเท่านั้น"))


@transaction.atomic
def save_membership(*, membership: Membership, granted_by) -> Membership:
    """Create or change one staff role (the admin's membership form). Protected roles: see check_role_grant; the
    grant is audited and the organization's legal officers and executives are told."""
    is_new = membership.pk is None
    previous_role = None if is_new else Membership.objects.filter(pk=membership.pk).values_list(
        "role", flat=True).first()
    if granted_by is not None and not granted_by.is_superuser:
        require(granted_by, "add" if is_new else "change", membership)
        if previous_role in PROTECTED_ROLES and previous_role != membership.role:
            check_role_grant(granted_by=granted_by, role=previous_role)
    if membership.role != previous_role:
        check_role_grant(granted_by=granted_by, role=membership.role)
    membership.save()
    if membership.role in PROTECTED_ROLES and membership.role != previous_role:
        _announce_protected_grant(membership, granted_by)
    return membership


def _announce_protected_grant(membership: Membership, granted_by) -> None:
    from .notifications.services import notify

    actor = granted_by if granted_by is not None and granted_by.is_authenticated else None
    LogEntry.objects.log_create(
        membership, force_log=True, action=LogEntry.Action.CREATE, actor=actor,
        changes={"role": [None, membership.role]},
        additional_data={"organization_id": membership.organization_id, "protected_role_granted": membership.role,
                         "user": membership.user.get_username(),
                         "granted_by": actor.get_username() if actor else "system"})
    holders = (Membership.objects.filter(organization_id=membership.organization_id, role__in=PROTECTED_ROLES)
               .exclude(user_id=membership.user_id).select_related("user"))
    context = {"subject": _("มีผู้ได้รับสิทธิ์อ่านเรื่องร้องเรียนการทุจริต"),
               "message": _("%(user)s ได้รับบทบาท %(role)s ใน %(org)s โดย %(by)s") % {
                   "user": membership.user.get_full_name() or membership.user.get_username(),
                   "role": Role(membership.role).label, "org": membership.organization,
                   "by": actor.get_username() if actor else _("ระบบ")}}
    for holder in {h.user for h in holders}:
        notify(organization=membership.organization, event="generic", channel="email", recipient=holder.email,
               context=context, related=membership)


@transaction.atomic
def add_staff_member(*, organization, role, department=None, user=None, username="", password="",
                     first_name="", last_name="", email="", granted_by=None) -> Membership:
    """Give an existing staff user a role, or create the account first (an organization administrator's job:
    they must not need the installation's superuser to take on a new officer)."""
    check_role_grant(granted_by=granted_by, role=role)
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, password=password, first_name=first_name, last_name=last_name, email=email,
            is_staff=True)
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return save_membership(membership=Membership(user=user, organization=organization, role=role,
                                                 department=department), granted_by=granted_by)
