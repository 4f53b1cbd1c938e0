"""System checks (`manage.py check`): an admin or API viewset on an organization-owned model that forgot the
tenancy mixin would show every organization's rows. Refuse to start unless the class says, in so many words,
that it is global (`tenancy_global = "why"`) or public (`public_read = True`, viewsets only)."""

from django.core import checks


def _org_owned(model) -> bool:
    return model is not None and hasattr(model, "organization_path")


def _declared_global(cls) -> bool:
    reason = getattr(cls, "tenancy_global", None)
    return isinstance(reason, str) and bool(reason.strip())


def admin_errors(site=None) -> list[checks.CheckMessage]:
    from django.contrib import admin

    from portal.admin.mixins import OrganizationScopedAdminMixin, ScopedInlineMixin

    site = site or admin.site
    errors = []
    for model, model_admin in site._registry.items():
        if not _org_owned(model):
            continue
        cls = type(model_admin)
        if not isinstance(model_admin, OrganizationScopedAdminMixin) and not _declared_global(cls):
            errors.append(checks.Error(
                f"{cls.__module__}.{cls.__qualname__} administers the organization-owned model {model._meta.label} "
                "without tenancy scoping: every organization's rows would be shown.",
                hint="Subclass portal.admin.mixins.ScopedModelAdmin, or declare tenancy_global = \"<why>\".",
                obj=cls, id="portal.E001"))
        for inline in model_admin.inlines:
            if _org_owned(inline.model) and not issubclass(inline, ScopedInlineMixin) and not _declared_global(inline):
                errors.append(checks.Error(
                    f"{inline.__module__}.{inline.__qualname__} (inline of {cls.__qualname__}) edits the "
                    f"organization-owned model {inline.model._meta.label} without ScopedInlineMixin.",
                    hint="Add portal.admin.mixins.ScopedInlineMixin.", obj=inline, id="portal.E002"))
    return errors


def _viewset_model(viewset):
    queryset = getattr(viewset, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(viewset, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def api_errors(registry=None) -> list[checks.CheckMessage]:
    from portal.api.viewsets import OrganizationScopedViewSetMixin, router

    errors = []
    for prefix, viewset, _basename in (registry if registry is not None else router.registry):
        model = _viewset_model(viewset)
        if not _org_owned(model):
            continue
        if issubclass(viewset, OrganizationScopedViewSetMixin) or _declared_global(viewset):
            continue
        if getattr(viewset, "public_read", False) and not _has_writes(viewset):
            continue
        errors.append(checks.Error(
            f"API viewset {viewset.__module__}.{viewset.__qualname__} (/api/{prefix}/) serves the "
            f"organization-owned model {model._meta.label} without tenancy scoping.",
            hint="Subclass portal.api.viewsets.OrganizationScopedViewSetMixin; a read-only public list declares "
                 "public_read = True and filters what is published in get_queryset.",
            obj=viewset, id="portal.E003"))
    return errors


def _has_writes(viewset) -> bool:
    from rest_framework import mixins

    write_mixins = (mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin)
    if issubclass(viewset, write_mixins):
        return True
    extra = getattr(viewset, "get_extra_actions", None)
    actions = extra() if extra else []
    return any(set(a.mapping) - {"get", "head", "options"} for a in actions)


@checks.register(checks.Tags.security)
def tenancy_check(app_configs=None, **kwargs):
    return admin_errors() + api_errors()
