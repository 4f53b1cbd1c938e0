"""Writes of onboarding: importing the national directory, inviting an organization's first administrator,
accepting the invitation, the set-up wizard's steps, and deactivating / reactivating an organization. Each in one
transaction with its audit row (portal.audit.events names the events)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.audit import trail as audit
from portal.models import (
    Department,
    DirectoryEntry,
    Invitation,
    Membership,
    Organization,
    OrganizationHost,
    OrganizationSetup,
    Role,
)
from portal.notifications.services import notify
from portal.onboarding.directory import DirectoryRow

ENTRY_FIELDS = ["kind", "name_th", "province", "district", "subdistrict"]
INVITATION_DAYS = 7
TOKEN_BYTES = 32
KIND_ENGLISH = {
    Organization.Kind.SUBDISTRICT_MUNICIPALITY: "Subdistrict Municipality",
    Organization.Kind.TOWN_MUNICIPALITY: "Town Municipality",
    Organization.Kind.CITY_MUNICIPALITY: "City Municipality",
    Organization.Kind.SAO: "Subdistrict Administrative Organization",
}
KIND_THAI_PREFIXES = ("องค์การบริหารส่วนตำบล", "เทศบาลนคร", "เทศบาลเมือง", "เทศบาลตำบล", "อบต.", "ทน.", "ทม.",
                      "ทต.")


def _require_superuser(user) -> None:
    if not (getattr(user, "is_superuser", False) or audit.is_system(user)):
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบของการติดตั้งเท่านั้น"))


# --- the national directory ------------------------------------------------------------------------------------------

@dataclass
class ImportPlan:
    """What importing the rows does: entries to create, entries to update (with the fields that change)."""

    create: list[DirectoryRow] = field(default_factory=list)
    update: list[tuple[DirectoryEntry, dict]] = field(default_factory=list)
    unchanged: int = 0


def plan_directory_import(rows: list[DirectoryRow]) -> ImportPlan:
    """The dry run: nothing is written. Entries are matched by their DLA code."""
    existing = DirectoryEntry.objects.in_bulk([r.code for r in rows], field_name="code")
    plan = ImportPlan()
    for row in rows:
        entry = existing.get(row.code)
        if entry is None:
            plan.create.append(row)
            continue
        changes = {name: [getattr(entry, name), value] for name, value in row.values().items()
                   if getattr(entry, name) != value}
        if changes:
            plan.update.append((entry, changes))
        else:
            plan.unchanged += 1
    return plan


def import_directory(*, rows: list[DirectoryRow], actor) -> ImportPlan:
    """Create the entries not yet listed and update the ones that changed (idempotent: a second import of the same
    file changes nothing). The installation's superuser or a command (`audit.system`) only."""
    _require_superuser(actor)
    with transaction.atomic():
        plan = plan_directory_import(rows)
        created = DirectoryEntry.objects.bulk_create(
            [DirectoryEntry(code=r.code, **r.values()) for r in plan.create], batch_size=1000)
        changed = []
        for entry, changes in plan.update:
            for name, (_old, new) in changes.items():
                setattr(entry, name, new)
            changed.append(entry)
        DirectoryEntry.objects.bulk_update(changed, ENTRY_FIELDS, batch_size=1000)
        if created:
            # one row for the entries added (a first import adds thousands), naming the range of codes
            first = DirectoryEntry.objects.get(code=min(r.code for r in plan.create))
            audit.record(first, actor=actor, event="portal.directory.imported", action=audit.Action.CREATE,
                         data={"added": len(created), "first_code": first.code,
                               "last_code": max(r.code for r in plan.create)})
        for entry, changes in plan.update:
            audit.record(entry, actor=actor, event="portal.directory.imported", changes=changes)
    return plan


# --- inviting an organization's first administrator ------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _place_names(entry: DirectoryEntry):
    """The subdistrict, district and province of `entry` in geothai's list (their English names), or None."""
    import geothai

    name = entry.subdistrict or entry.name_th
    for prefix in KIND_THAI_PREFIXES:
        name = name.removeprefix(prefix).strip()
    try:
        found = geothai.match(name, district=entry.district, province=entry.province)
    except Exception:  # a name geothai cannot read is only a missed suggestion
        return None
    return found[0] if len(found) == 1 else None


def suggested_slug(entry: DirectoryEntry) -> str:
    place = _place_names(entry)
    base = slugify(place.subdistrict.name_en)[:40] if place else ""
    base = base or f"lao-{entry.code}"
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    district = slugify(place.district.name_en)[:18] if place else entry.code
    return f"{base}-{district}"[:60]


def _code_prefix(slug: str) -> str:
    """A tracking-code prefix (2–4 capitals) no other organization uses: the slug's letters first, then the
    first free one in order."""
    import itertools

    taken = set(Organization.objects.values_list("code_prefix", flat=True))
    letters = "".join(ch for ch in slug.upper() if "A" <= ch <= "Z")
    for size in (2, 3, 4):
        if len(letters) >= size and letters[:size] not in taken:
            return letters[:size]
    for size in (3, 4):
        for combo in itertools.product("ABCDEFGHJKLMNPQRSTUVWXYZ", repeat=size):
            if "".join(combo) not in taken:
                return "".join(combo)
    raise ValidationError(_("ไม่มีอักษรนำรหัสติดตามเหลือ"))


def organization_from_entry(entry: DirectoryEntry, *, slug: str) -> Organization:
    """The organization an entry becomes, hidden (`is_active=False`) until its clerk finishes the set-up."""
    place = _place_names(entry)
    organization = Organization(
        slug=slug, name_th=entry.name_th, kind=entry.kind, subdistrict=entry.subdistrict, district=entry.district,
        province=entry.province, code_prefix=_code_prefix(slug), is_active=False,
        name_en=f"{place.subdistrict.name_en} {KIND_ENGLISH[entry.kind]}" if place else "",
        subdistrict_en=place.subdistrict.name_en if place else "", district_en=place.district.name_en if place else "",
        province_en=place.province.name_en if place else "")
    organization.full_clean()
    return organization


def invitation_link(invitation: Invitation, token: str, site_url: str) -> str:
    """The link in the e-mail: on the organization's own host when it has one (with the scheme and port of
    `site_url`, the address the superuser is working on), else on `site_url`."""
    parts = urlsplit(site_url)
    host = invitation.organization.hosts.values_list("host", flat=True).first()
    netloc = f"{host}:{parts.port}" if host and parts.port else host or parts.netloc
    path = reverse("onboarding-accept", args=[invitation.uuid, token])
    return f"{parts.scheme or 'https'}://{netloc}{path}"


def invite(*, email: str, actor, site_url: str, entry: DirectoryEntry | None = None,
           organization: Organization | None = None, slug: str = "", host: str = "") -> tuple[Invitation, str]:
    """Invite the first administrator of an organization (made from its directory `entry` when it has none yet),
    by e-mail. Returns the invitation and its link; the link's secret is kept only as a hash."""
    _require_superuser(actor)
    with transaction.atomic(), audit.acting(actor):
        if organization is None:
            entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
            organization = entry.organization
        if organization is None:
            organization = organization_from_entry(entry, slug=slug)
            organization.save()
            entry.organization = organization
            entry.save(update_fields=["organization"])
        if host:
            OrganizationHost.objects.get_or_create(organization=organization, host=host.strip().lower().rstrip("."))
        OrganizationSetup.objects.get_or_create(organization=organization)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        days = getattr(settings, "ONBOARDING_INVITATION_DAYS", INVITATION_DAYS)
        invitation = Invitation.objects.create(
            organization=organization, email=email.strip().lower(), token_hash=_hash(token), created_by=actor,
            expires_at=timezone.now() + timedelta(days=days))
        link = invitation_link(invitation, token, site_url)
        audit.record(invitation, actor=actor, event="portal.invitation.sent", action=audit.Action.CREATE,
                     data={"email": invitation.email, "dla_code": entry.code if entry else ""})
        notify(organization=organization, event="portal.invitation", channel="email", recipient=invitation.email,
               context={"organization": organization, "link": link, "days": days}, language="th", related=invitation)
    return invitation, link


class InvitationError(ValueError):
    """The link cannot be used; str() says why, in the reader's language. `status`: 404 for a link that is not
    one (the state of an invitation is told only to the holder of its secret), 410 for a spent or expired one."""

    def __init__(self, message, status=410):
        super().__init__(message)
        self.status = status


def check_invitation(invitation: Invitation | None, token: str) -> Invitation:
    """The invitation if `token` is its secret (compared in constant time) and it is still good."""
    if invitation is None or not hmac.compare_digest(_hash(token or ""), invitation.token_hash):
        raise InvitationError(_("ลิงก์เชิญนี้ไม่ถูกต้อง"), status=404)
    if invitation.accepted_at is not None:
        raise InvitationError(_("ลิงก์เชิญนี้ใช้ไปแล้ว เข้าสู่ระบบด้วยบัญชีที่ตั้งไว้"))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(_("ลิงก์เชิญนี้หมดอายุแล้ว ขอให้ผู้ดูแลระบบส่งคำเชิญใหม่"))
    return invitation


def accept_invitation(*, invitation: Invitation, token: str, password: str, first_name: str = "",
                      last_name: str = ""):
    """The invitee's account (the e-mail as user name) with the password they chose, as the organization's
    administrator. The link is spent in the same transaction."""
    User = get_user_model()
    with transaction.atomic():
        invitation = check_invitation(Invitation.objects.select_for_update().filter(pk=invitation.pk).first(), token)
        if User.objects.filter(username__iexact=invitation.email).exists():
            raise InvitationError(_("มีบัญชีของอีเมลนี้อยู่แล้ว ขอให้ผู้ดูแลระบบเพิ่มสิทธิ์ให้บัญชีนั้นแทน"), status=400)
        user = User.objects.create_user(username=invitation.email, email=invitation.email, password=password,
                                        first_name=first_name, last_name=last_name, is_staff=True)
        with audit.acting(user):
            Membership.objects.create(organization=invitation.organization, user=user, role=Role.ADMINISTRATOR)
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = user
            invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(invitation, actor=user, event="portal.invitation.accepted")
    return user


# --- the clerk's set-up wizard ---------------------------------------------------------------------------------------

def may_set_up(user, organization) -> bool:
    """The organization's administrators (and the installation's superusers) run its set-up, active or not yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or Membership.objects.filter(user=user, organization=organization,
                                                          role=Role.ADMINISTRATOR).exists()


def _require_set_up(user, organization) -> OrganizationSetup:
    if not may_set_up(user, organization):
        raise PermissionDenied(_("เฉพาะผู้ดูแลขององค์กรนี้"))
    setup, _created = OrganizationSetup.objects.select_for_update().get_or_create(organization=organization)
    return setup


def _done(setup: OrganizationSetup, step: str, user, *, skipped: bool = False) -> None:
    done = [*setup.steps_done, *([] if step in setup.steps_done else [step])]
    others = [name for name in setup.steps_skipped if name != step]
    setup.steps_done, setup.steps_skipped = done, [*others, step] if skipped else others
    setup.save(update_fields=["steps_done", "steps_skipped"])
    audit.record(setup, actor=user, event="portal.setup.step_saved", data={"step": step, "skipped": skipped})


def save_setup_step(*, organization: Organization, step: str, actor, values: dict | None = None) -> OrganizationSetup:
    """One wizard step's fields of the organization (a logo as an uploaded file's content), saved, and the step
    marked done. `values=None` skips the step: marked done, nothing changed."""
    with transaction.atomic():
        setup = _require_set_up(actor, organization)
        if values:
            logo = values.pop("logo", None)
            for name, value in values.items():
                setattr(organization, name, value)
            with audit.acting(actor):
                if logo is not None:
                    organization.logo.save(f"{organization.slug}.{logo.name.rsplit('.', 1)[-1]}", logo, save=False)
                organization.save(update_fields=[*values, *(["logo"] if logo is not None else [])])
        _done(setup, step, actor, skipped=values is None)
    return setup


def set_services(*, organization: Organization, off: list[str], actor) -> OrganizationSetup:
    """The services the home page leaves out (app labels), and the step marked done."""
    with transaction.atomic():
        setup = _require_set_up(actor, organization)
        setup.services_off = sorted(set(off))
        setup.save(update_fields=["services_off"])
        _done(setup, "services", actor)
    return setup


def add_departments(*, organization: Organization, departments: list[tuple[str, str, str]], actor):
    """The organization's first departments ((code, Thai name, English name)); one already there is left alone."""
    with transaction.atomic():
        setup = _require_set_up(actor, organization)
        with audit.acting(actor):
            for code, name_th, name_en in departments:
                Department.objects.get_or_create(organization=organization, code=code,
                                                 defaults={"name_th": name_th, "name_en": name_en})
        _done(setup, "departments", actor)
    return setup


def save_app_step(*, organization: Organization, step, form, actor):
    """A service app's wizard step (portal.registry.SetupStep): its own save, which writes through the app's
    services naming `actor`, and the step marked done, in one transaction. What the save returns (a ShownOnce, or
    None) is passed back; a ValidationError it raises rolls everything back."""
    with transaction.atomic():
        setup = _require_set_up(actor, organization)
        shown = step.save(organization=organization, form=form, actor=actor)
        _done(setup, step.key, actor)
    return shown


STAFF_ROLES = [Role.OFFICER, Role.FINANCE, Role.ADMINISTRATOR, Role.AUDITOR, Role.LEGAL_OFFICER, Role.EXECUTIVE]


def join_args(user) -> tuple[str, str]:
    """The (uid, token) of a staff invitation's link, which sets the new account's first password: Django's
    password-reset token, spent once a password is set, good for PASSWORD_RESET_TIMEOUT."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def joining_user(organization: Organization, uidb64: str, token: str):
    """The account a staff invitation's link names, if the token is still good and the account is on this
    organization's staff; else None."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_str
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk, memberships__organization=organization).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def invite_staff(*, organization: Organization, people: list[tuple[str, str]], actor,
                 site_url: str, join_path=None) -> list[tuple[str, str, bool]]:
    """Staff accounts of the organization, by e-mail: for each (email, role) a membership with that role, on the
    person's account when they have one (another organization's staff), else on a new account with no password yet
    whose e-mail carries a one-time link to set it. Returns (email, role, new account) per person; someone already
    on the staff in that role is left alone, unless they never set their password (the link is sent again: the
    first one may have expired). `join_path(user)` gives the link's path (the wizard's own URL
    for the host in use); the e-mail gets `site_url` + that path."""
    User = get_user_model()
    done = []
    with transaction.atomic():
        setup = _require_set_up(actor, organization)
        for email, role in people:
            email = email.strip().lower()
            if role not in Role.values:
                raise ValidationError(_("ไม่รู้จักบทบาท “%(role)s”") % {"role": role})
            user = User.objects.filter(username__iexact=email).first()
            new = user is None
            with audit.acting(actor):
                if new:
                    user = User(username=email, email=email, is_staff=True)
                    user.set_unusable_password()
                    user.save()
                elif not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
                membership, created = Membership.objects.get_or_create(organization=organization, user=user,
                                                                       role=role)
            waiting = not user.has_usable_password()  # invited before and no password set yet: the link again
            if not created and not waiting:
                continue
            link = site_url.rstrip("/") + join_path(user) if waiting and join_path else ""
            audit.record(setup, actor=actor, event="portal.setup.step_saved",
                         data={"step": "staff", "invited": email, "role": role, "new_account": new})
            notify(organization=organization, event="portal.staff_invitation", channel="email", recipient=email,
                   context={"organization": organization, "link": link, "role": Role(role).label,
                            "login": site_url.rstrip("/") + reverse("admin:login"),
                            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)},
                   language="th", related=membership)
            done.append((email, role, new))
        _done(setup, "staff", actor)
    return done


def set_first_password(*, user, password: str):
    """An invited staff member's first password (the join link's token was checked by the view); the account
    itself is the actor."""
    with transaction.atomic(), audit.acting(user):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def finish_setup(*, organization: Organization, actor) -> OrganizationSetup:
    """The clerk's last step: the organization's pages go public (the first time only: an organization the
    installation's superuser deactivated stays hidden)."""
    with transaction.atomic():
        setup = _require_set_up(actor, organization)
        if setup.finished_at is None:
            setup.finished_at = timezone.now()
            setup.save(update_fields=["finished_at"])
            with audit.acting(actor):
                organization.is_active = True
                organization.save(update_fields=["is_active"])
            audit.record(setup, actor=actor, event="portal.setup.finished")
    return setup


# --- deactivating and reactivating -----------------------------------------------------------------------------------

def set_active(*, organization: Organization, active: bool, actor) -> Organization:
    """Hide an organization everywhere public (its data stays), or show it again: the installation's superuser
    only, never the organization's own staff."""
    _require_superuser(actor)
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.is_active != active:
            with audit.acting(actor):
                organization.is_active = active
                organization.save(update_fields=["is_active"])
            audit.record(organization, actor=actor,
                         event="portal.organization.reactivated" if active else "portal.organization.deactivated",
                         changes={"is_active": [not active, active]})
    return organization
