"""Model permissions from organization roles, so nobody has to maintain Django groups per organization.

The role -> action table of a service app lives in its ServiceAppConfig.role_permissions (portal.registry).
A role in any organization grants the model-level permission; which rows a user reaches is decided by
tenancy scoping (portal.tenancy), and object-level checks go through `can()` / `require()`.
"""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied

from .registry import ServiceAppConfig
from .roles import ALL, VIEW, Role
from .tenancy import user_roles

# Shared-core models: what each role may do. Models not listed here give nothing.
PORTAL_MODEL_ACTIONS = {
    "organization": {Role.ADMINISTRATOR: {"view", "change"}},
    "department": {Role.ADMINISTRATOR: ALL, Role.OFFICER: VIEW},
    "membership": {Role.ADMINISTRATOR: ALL},
    "notification": {Role.ADMINISTRATOR: VIEW},
}


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
    from .tenancy import user_org_ids

    user_org_ids(user)
    return set(getattr(user, "_portal_roles", {}).keys())


class RoleBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or not user_obj.is_authenticated or "." not in perm:
            return False
        app_label, codename = perm.split(".", 1)
        action, _, model_name = codename.partition("_")
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


def can(user, action: str, obj) -> bool:
    """Object-level check: does the user's role in *this object's* organization allow `action`?"""
    from .tenancy import organization_id_of

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    meta = obj._meta
    org_id = organization_id_of(obj)
    return any(action in role_actions(meta.app_label, meta.model_name, r) for r in user_roles(user, org_id))


def require(user, action: str, obj) -> None:
    """Raise PermissionDenied unless `user` may `action` on `obj` (see `can`). Every service that writes calls it.

    `user=None` is the system actor (a Celery task or a management command, which names itself in the audit
    row through its `actor_label`)."""
    if user is None:
        return
    if not can(user, action, obj):
        raise PermissionDenied
