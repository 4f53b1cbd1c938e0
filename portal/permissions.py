"""Model permissions from organization roles, so nobody has to maintain Django groups per organization.

A role in any organization grants the model-level permission; which rows a user reaches is decided by
tenancy scoping (portal.tenancy), and object-level checks go through `can()`.
"""

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

from .models import Role
from .tenancy import user_roles

PROJECT_APPS = {"portal", "innovation_plans", "eservice", "complaints", "opendata", "taxpay"}

DEFAULT_ROLE_ACTIONS = {
    Role.ADMINISTRATOR: {"view", "add", "change", "delete"},
    Role.OFFICER: {"view", "add", "change"},
    Role.AUDITOR: {"view"},
    Role.LEGAL_OFFICER: {"view", "change"},
    Role.EXECUTIVE: {"view"},
}

# Shared-core models: what each role may do, narrower than the default.
PORTAL_MODEL_ACTIONS = {
    "organization": {Role.ADMINISTRATOR: {"view", "change"}},
    "department": {Role.ADMINISTRATOR: {"view", "add", "change", "delete"}, Role.OFFICER: {"view"}},
    "membership": {Role.ADMINISTRATOR: {"view", "add", "change", "delete"}},
    "notification": {Role.ADMINISTRATOR: {"view"}},
}


def role_actions(app_label: str, model_name: str, role: str) -> set[str]:
    if app_label == "portal":
        return PORTAL_MODEL_ACTIONS.get(model_name, {}).get(role, set())
    if app_label == "auditlog":
        return {"view"} if role in (Role.ADMINISTRATOR, Role.AUDITOR) and model_name == "logentry" else set()
    if app_label not in PROJECT_APPS:
        return set()
    config = apps.get_app_config(app_label)
    # An app narrows or widens the default per model (e.g. corruption complaints: legal officers only).
    hook = getattr(config, "role_actions", None)
    if hook is not None:
        result = hook(model_name, role)
        if result is not None:
            return set(result)
    return DEFAULT_ROLE_ACTIONS.get(role, set())


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

    if user.is_superuser:
        return True
    meta = obj._meta
    org_id = organization_id_of(obj)
    return any(action in role_actions(meta.app_label, meta.model_name, r) for r in user_roles(user, org_id))
