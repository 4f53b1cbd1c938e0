"""Writes of the shared core, and the generic audited save/delete the admin's plain editing goes through."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from portal.access.permissions import PROTECTED_ROLES, require
from portal.audit import trail as audit
from portal.models import Holiday, Membership, Role


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
    from portal.notifications.services import notify

    actor = audit.person(granted_by)
    audit.record(membership, actor=granted_by, event="portal.membership.protected_role_granted",
                 action=audit.Action.CREATE, changes={"role": [None, membership.role]},
                 data={"protected_role_granted": membership.role, "user": membership.user.get_username(),
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


def _value(value):
    """A field's value as the audit row's JSON holds it (a related row by its key, UUIDs and dates as text)."""
    if hasattr(value, "_meta"):
        value = value.pk
    if value is None or isinstance(value, bool | int | str | list | dict):
        return value
    return str(value)


@transaction.atomic
def save_row(*, obj, actor, changed: list[str] | tuple = ()):
    """Save one row as a staff form filled it in (the admin's plain create/change of reference data: categories,
    assets, service types, tax years...), with its audit row naming `actor` and the fields that changed, in the same
    transaction. The caller has checked the actor's right to the row (portal.admin.mixins does). Writes with rules
    of their own (status changes, payments, evidence) have their own service in their app."""
    is_new = obj._state.adding  # not `pk is None`: UUID keys are set before the first save
    with audit.acting(actor):
        obj.save()
    fields = {f.name for f in obj._meta.concrete_fields}
    audit.record(obj, actor=actor, event=f"{obj._meta.app_label}.{obj._meta.model_name}.{'added' if is_new else 'changed'}",
                 action=audit.Action.CREATE if is_new else audit.Action.UPDATE,
                 changes={name: _value(getattr(obj, name, None)) for name in changed if name in fields})
    return obj


@transaction.atomic
def delete_row(*, obj, actor) -> None:
    """Delete one row (and what cascades from it), its audit row written before it goes."""
    audit.record(obj, actor=actor, event=f"{obj._meta.app_label}.{obj._meta.model_name}.deleted",
                 action=audit.Action.DELETE)
    with audit.acting(actor):
        obj.delete()


def seed_holidays(*, years, actor) -> int:
    """Copy Thai public holidays from the `holidays` package into the Holiday table (idempotent). `actor` is the
    command or the demo loader that asked; each holiday added gets its audit row."""
    import holidays as holidays_lib

    count = 0
    with transaction.atomic():
        for day, name in sorted(holidays_lib.Thailand(years=list(years), language="th").items()):
            holiday, created = Holiday.objects.update_or_create(date=day, defaults={"name": name[:200]})
            if created:
                audit.record(holiday, actor=actor, event="portal.holiday.seeded", action=audit.Action.CREATE)
            count += created
    return count
