"""Tenancy, checked in one place.

Every organization-owned model names the path to its organization (`organization_path`); views, the API and
the admin all narrow querysets through `OrganizationScopedQuerySet.for_user`, which reads the user's
memberships once per request (cached on the user object).
"""

from django.apps import apps
from django.db import models

ALL_ROLES = None


def user_org_ids(user, roles=ALL_ROLES) -> set[int]:
    """Organization ids where the user holds any of `roles` (any role when None)."""
    if not user or not user.is_authenticated:
        return set()
    cache = getattr(user, "_portal_roles", None)
    if cache is None:
        cache = {}
        # Through the user's reverse relation: tenancy sits below portal.models (which builds on its queryset).
        for org_id, role in user.memberships.values_list("organization_id", "role"):
            cache.setdefault(role, set()).add(org_id)
        user._portal_roles = cache
    if roles is None:
        return set().union(*cache.values()) if cache else set()
    return set().union(*(cache.get(r, set()) for r in roles))


def user_roles(user, organization_id) -> set[str]:
    user_org_ids(user)  # fills the cache
    return {role for role, ids in getattr(user, "_portal_roles", {}).items() if organization_id in ids}


def has_role(user, organization_id, *roles) -> bool:
    if user.is_superuser:
        return True
    return bool(user_roles(user, organization_id) & set(roles))


LITERAL_IDS_AT_MOST = 100


def user_org_ids_in(user, roles=ALL_ROLES):
    """The right-hand side of an `organization__in` filter: the ids themselves for a few organizations, else the
    user's memberships as a subquery (the same rows): an auditor of 1,000 organizations sent and matched a list of
    1,000 ids in each query of a page."""
    ids = user_org_ids(user, roles)
    if len(ids) <= LITERAL_IDS_AT_MOST:
        return ids
    memberships = apps.get_model("portal", "Membership").objects.filter(user_id=user.pk)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return memberships.values("organization_id")


class OrganizationScopedQuerySet(models.QuerySet):
    def for_user(self, user, roles=ALL_ROLES):
        """Rows of the organizations where `user` holds one of `roles`; everything for a superuser."""
        if user.is_superuser:
            return self
        path = self.model.organization_path
        return self.filter(**{f"{path}__in": user_org_ids_in(user, roles)})


def scope(queryset, user, roles=ALL_ROLES):
    """Scope any queryset whose model declares `organization_path` (works for plain managers too)."""
    model = queryset.model
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{model.organization_path}__in": user_org_ids_in(user, roles)})


def organization_id_of(obj):
    """Follow `organization_path` on an instance (e.g. 'plan__organization' -> obj.plan.organization_id)."""
    path = type(obj).organization_path
    if path == "pk":
        return obj.pk
    parts = path.split("__")
    target = obj
    for part in parts[:-1]:
        target = getattr(target, part)
        if target is None:
            return None
    return getattr(target, parts[-1] + "_id")
