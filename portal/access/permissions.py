"""Authorization, decided in one place.

Model permissions come from organization roles, so nobody maintains Django groups per organization. Two levels:

* `RoleBackend.has_perm(user, "app.change_model")` (no object) answers "may this user do this in *some*
  organization?": it decides whether the admin shows a menu entry, a list, an action. It never authorizes a write.
* `can(user, action, obj)` / `require(user, action, obj)` answer for one row, with the user's role in **that row's
  own organization** (followed through the model's `organization_path`). Every service that writes calls
  `require`; the scoped admin checks every selected row of an action with `require_rows`.

A model not listed by its app (or in PORTAL_MODEL_ACTIONS) gives nothing to anybody but superusers: fail closed.
"""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.access.roles import ALL, VIEW, Role
from portal.access.tenancy import user_roles
from portal.registry import ServiceAppConfig

# Shared-core models: what each role may do. Models not listed here give nothing.
PORTAL_MODEL_ACTIONS = {
    "organization": {Role.ADMINISTRATOR: {"view", "change"}},
    "department": {Role.ADMINISTRATOR: ALL, Role.OFFICER: VIEW},
    "membership": {Role.ADMINISTRATOR: ALL},
    "notification": {Role.ADMINISTRATOR: VIEW},
    "apikey": {Role.ADMINISTRATOR: ALL},  # Open311 keys (created by manage.py create_api_key)
}

# Roles that read corruption reports with the reporter's contact: granted only by a superuser (portal.services).
PROTECTED_ROLES = (Role.LEGAL_OFFICER, Role.EXECUTIVE)


def role_actions(app_label: str, model_name: str, role: str) -> set[str]:
    """What `role` may do on a model. Service apps declare it in `ServiceAppConfig.role_permissions`; a model
    (or an app) that declares nothing gives nothing (fail closed)."""
    if app_label == "portal":
        return set(PORTAL_MODEL_ACTIONS.get(model_name, {}).get(role, set()))
    if app_label == "auditlog":
        return {"view"} if role in (Role.ADMINISTRATOR, Role.AUDITOR) and model_name == "logentry" else set()
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return set()
    if not isinstance(config, ServiceAppConfig):
        return set()
    return set(config.actions_for(model_name, role))


def _all_roles(user) -> set[str]:
    from portal.access.tenancy import user_org_ids

    user_org_ids(user)
    return set(getattr(user, "_portal_roles", {}).keys())


class RoleBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or not user_obj.is_authenticated or "." not in perm:
            return False
        app_label, codename = perm.split(".", 1)
        action, _sep, model_name = codename.partition("_")
        if obj is not None and hasattr(type(obj), "organization_path"):
            return can(user_obj, action, obj)
        return any(action in role_actions(app_label, model_name, role) for role in _all_roles(user_obj))

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active or not user_obj.is_authenticated:
            return False
        try:
            models = apps.get_app_config(app_label).get_models()
        except LookupError:
            return False
        roles = _all_roles(user_obj)
        return any(role_actions(app_label, m._meta.model_name, r) for m in models for r in roles)


def permission_model(obj):
    """The model whose role permissions govern `obj`: a model may answer per row (a corruption report is a
    Complaint row governed like the ProtectedComplaint proxy) through `permission_model()`."""
    hook = getattr(obj, "permission_model", None)
    return hook() if callable(hook) else type(obj)


def can_in_organization(user, action: str, model, organization_id) -> bool:
    """Does the user's role in organization `organization_id` allow `action` on rows of `model`?"""
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if organization_id is None:
        return False
    meta = model._meta
    return any(action in role_actions(meta.app_label, meta.model_name, r) for r in user_roles(user, organization_id))


def can(user, action: str, obj) -> bool:
    """Object-level check: does the user's role in *this object's* organization allow `action`?"""
    from portal.access.tenancy import organization_id_of

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return user.is_active
    return can_in_organization(user, action, permission_model(obj), organization_id_of(obj))


def require(user, action: str, obj) -> None:
    """Raise PermissionDenied unless `user` may `action` this row in its own organization.

    `user=None` is the system actor (a Celery task, a management command): the caller names itself in the audit
    row (a `portal.audit.trail.SystemActor`); a request always passes its user, even an anonymous one (refused)."""
    if user is None or getattr(user, "is_system_actor", False):
        return
    if not can(user, action, obj):
        raise PermissionDenied(_("ไม่มีสิทธิ์ดำเนินการกับรายการขององค์กรนี้"))


def require_rows(user, action: str, queryset) -> None:
    """Every row of `queryset` (e.g. the rows selected for an admin action): the user's role in each row's own
    organization must allow `action`. One query for the organizations; nothing is done when one row is refused."""
    if user is None or getattr(user, "is_system_actor", False):
        return
    model = queryset.model
    if user.is_superuser and user.is_active:
        return
    path = model.organization_path
    hook = getattr(model, "permission_model_of_rows", None)
    if hook is not None:
        pairs = hook(queryset)  # [(model, organization_id)]
    else:
        pairs = [(model, org_id) for org_id in queryset.order_by().values_list(path, flat=True).distinct()]
    for governing, org_id in set(pairs):
        if not can_in_organization(user, action, governing, org_id):
            raise PermissionDenied(_("ไม่มีสิทธิ์ดำเนินการกับรายการขององค์กรนี้"))
