"""Admin side of tenancy: every organization-owned ModelAdmin uses this mixin; and the list columns (status badge,
BE dates, deadlines) every service admin shows the same way."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import services
from portal.access.permissions import can, require_rows
from portal.access.roles import ACTING_ROLES
from portal.access.tenancy import scope, user_org_ids
from portal.inputs.forms import BEDateField, BEDateInput
from portal.outputs.crypto import secret_field_names
from portal.thai import be_display


class ServiceSavesMixin:
    """The admin's plain create/change/delete, inline rows included, goes through portal.services.save_row /
    delete_row, which record who did it in the same transaction; never Django's own `obj.save()`. This is the rule
    tests/portal/test_layers.py checks for every admin: an admin whose writes have rules of their own overrides
    these with its app's service (complaints' workflow, evidence uploads, memberships)."""

    def save_row(self, request, obj, changed):
        """The one save every hook below makes; an app whose rows need its own checks overrides this pair."""
        services.save_row(obj=obj, actor=request.user, changed=changed)

    def delete_row(self, request, obj):
        services.delete_row(obj=obj, actor=request.user)

    def save_model(self, request, obj, form, change):
        self.save_row(request, obj, form.changed_data)

    def delete_model(self, request, obj):
        self.delete_row(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_row(request, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)  # builds the rows; nothing is written yet
        changed = {id(f.instance): f.changed_data for f in formset.forms}
        for obj in formset.deleted_objects:
            self.delete_row(request, obj)
        for instance in instances:
            self.save_row(request, instance, changed.get(id(instance), ()))
        formset.save_m2m()


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation to an organization-owned model (service types, departments, queues, the
    organizations themselves) offers only the rows of the user's organizations: Django's own lists every row of
    the table, another organization's unpublished service types included."""

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model
        queryset = scope(related._default_manager.all(), request.user, getattr(model_admin, "scope_roles", None))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(row.pk, str(row)) for row in queryset]


def _scoped_list_filter(model, item):
    """`item` of list_filter, with a relation to an organization-owned model given the scoped filter."""
    if not isinstance(item, str):
        return item
    from django.contrib.admin.utils import get_fields_from_path

    try:
        field = get_fields_from_path(model, item)[-1]
    except Exception:
        return item
    related = getattr(getattr(field, "remote_field", None), "model", None)
    if related is not None and hasattr(related, "organization_path"):
        return (item, ScopedRelatedFieldListFilter)
    return item


class OrganizationScopedAdminMixin(ServiceSavesMixin):
    """Narrows lists, lookups and choices to the user's organizations; another organization's id is a 404."""

    # Roles whose organizations appear in this admin (None: any role); e.g. corruption cases: legal officers.
    scope_roles = None
    # Staff type and read dates in the Buddhist era, like on paper.
    formfield_overrides = {models.DateField: {"form_class": BEDateField, "widget": BEDateInput}}

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, self.scope_roles)

    def get_fieldsets(self, request, obj=None):
        # A secret is shown only as set/not set inside its replace box, to those who may replace it; a read-only
        # page (an auditor's) does not list it at all.
        fieldsets = super().get_fieldsets(request, obj)
        hidden = secret_field_names(self.model)
        if not hidden or self.has_change_permission(request, obj):
            return fieldsets
        return [(name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
                for name, options in fieldsets]

    def get_list_filter(self, request):
        return [_scoped_list_filter(self.model, item) for item in super().get_list_filter(request)]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django would redirect with a message; a 404 tells nothing about other organizations' ids.
        raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if not request.user.is_superuser and hasattr(related, "organization_path"):
            base = kwargs.get("queryset", related._default_manager.all())
            kwargs["queryset"] = scope(base, request.user, self.scope_roles)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        if not request.user.is_superuser and hasattr(related, "organization_path"):
            base = kwargs.get("queryset", related._default_manager.all())
            kwargs["queryset"] = scope(base, request.user, self.scope_roles)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can(request.user, "change", obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can(request.user, "delete", obj))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can(request.user, "view", obj) or can(request.user, "change", obj))

    def response_action(self, request, queryset):
        """Every admin action (bulk accept, anonymise, route, delete, export ...) checks the acting user's role in the
        organization of **every** selected row before it runs: one refused row refuses the whole action (403) and
        nothing is changed or queued. An action that declares no `allowed_permissions` needs "change"."""
        func = self._posted_action(request)
        if func is not None:
            from django.contrib.admin import helpers

            selected = queryset
            if not request.POST.get("select_across") or request.POST.get("select_across") == "0":
                selected = queryset.filter(pk__in=request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
            for permission in getattr(func, "allowed_permissions", None) or ("change",):
                require_rows(request.user, permission, selected)
        return super().response_action(request, queryset)

    def _posted_action(self, request):
        try:
            index = int(request.POST.get("index", 0))
        except ValueError:
            index = 0
        names = request.POST.getlist("action")
        if not (0 <= index < len(names)):
            return None
        found = self.get_actions(request).get(names[index])
        return found[0] if found else None

    def delete_queryset(self, request, queryset):
        require_rows(request.user, "delete", queryset)
        super().delete_queryset(request, queryset)  # ServiceSavesMixin: one audited delete per row

    def delete_model(self, request, obj):
        if not can(request.user, "delete", obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            from portal.access.tenancy import organization_id_of

            if organization_id_of(obj) not in user_org_ids(request.user, self.scope_roles):
                raise PermissionDenied
            if not can(request.user, "change" if change else "add", obj):
                raise PermissionDenied
        super().save_model(request, obj, form, change)


class ScopedInlineMixin:
    """Inline admin: foreign-key choices narrowed like the parent's; adding, changing or deleting inline rows needs
    the user's role in the parent row's own organization."""

    def _parent_allows(self, request, obj, action):
        return obj is None or can(request.user, action, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_allows(request, obj, "change")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_allows(request, obj, "change")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_allows(request, obj, "change")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if not request.user.is_superuser and hasattr(related, "organization_path"):
            base = kwargs.get("queryset", related._default_manager.all())
            kwargs["queryset"] = scope(base, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedModelAdmin(OrganizationScopedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyScopedInline(ScopedInlineMixin, admin.TabularInline):
    """A record inline (timeline, versions, received documents): its rows are shown on the parent's page and
    never added, edited or deleted there; the app's services write them."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- List columns shared by the service admins (complaints, e-service requests ...) ---------------------------------

def status_column(*, description=None, field: str = "status"):
    """The row's workflow status as a badge (class `status-<value>`), sortable.

        status_badge = status_column()"""
    @admin.display(description=description or _("สถานะ"), ordering=field)
    def column(self, obj):
        value = getattr(obj, field)
        label = getattr(obj, f"get_{field}_display")()
        return format_html('<span class="status-badge status-{}">{}</span>', value, label)

    return column


def date_column(field: str, description, *, date_only: bool = False):
    """A date or time column in the Buddhist era and local time (English pages: English month names), sortable."""
    @admin.display(description=description, ordering=field)
    def column(self, obj):
        value = getattr(obj, field)
        if value is None:
            return "–"
        if date_only and isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return be_display(value)

    return column


def deadline_column(field: str, description, *, overdue: str = "is_overdue"):
    """A due date (BE, local, date only) that turns into a red "overdue" badge when `obj.<overdue>` is true."""
    show = date_column(field, description, date_only=True)

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        text = show(self, obj)
        if getattr(obj, overdue):
            # White on #b3261e: 6.5:1, readable in the list's zebra rows too.
            return format_html('<strong class="overdue-badge" style="color:#fff;background:#b3261e;padding:2px 6px;'
                               'border-radius:4px">⚠ {} · {}</strong>', text, gettext("เกินกำหนด"))
        return text

    return column


class OverdueFilter(admin.SimpleListFilter):
    """"Overdue: yes / no" for a service's triage list: still in one of `open_states` with `deadline_field` past.
    An app subclasses it naming its workflow's open states and its deadline column."""

    title = _("เกินกำหนด")
    parameter_name = "overdue"
    open_states: tuple = ()
    deadline_field = "deadline"

    def lookups(self, request, model_admin):
        return [("yes", _("เกินกำหนด")), ("no", _("ยังไม่เกิน"))]

    def queryset(self, request, queryset):
        late = {"status__in": self.open_states, f"{self.deadline_field}__lt": timezone.now()}
        if self.value() == "yes":
            return queryset.filter(**late)
        if self.value() == "no":
            return queryset.exclude(**late)
        return queryset


def due_queue_panel(request, model, *, title, open_states, deadline_field="deadline", describe=str,
                    due_within=dt.timedelta(days=3), limit=8) -> list[dict]:
    """An admin-home panel (portal.registry staff_home) for a triage list: the open rows the signed-in person may
    act on, soonest deadline first (overdue ones marked), with links to the change pages and to the whole list.
    Scoped exactly as that list is (the model's registered ModelAdmin.get_queryset)."""
    from django.contrib import admin as django_admin
    from django.template.loader import render_to_string
    from django.urls import reverse

    model_admin = django_admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_change_permission(request):
        return []
    now = timezone.now()
    opened = model_admin.get_queryset(request).filter(status__in=open_states)
    due = opened.filter(**{f"{deadline_field}__lt": now + due_within}).order_by(deadline_field)
    rows = list(due[:limit])
    if not rows:
        return []
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    items = [{"text": describe(obj), "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
              "deadline": getattr(obj, deadline_field), "overdue": getattr(obj, deadline_field) < now}
             for obj in rows]
    html = render_to_string("admin/staff_queue.html", {
        "items": items, "due_count": due.count(), "overdue_count": opened.filter(**{f"{deadline_field}__lt": now}).count(),
        "overdue_url": f"{changelist}?overdue=yes", "all_url": changelist}, request=request)
    return [{"title": title, "html": html}]




def staff_who_may_act(organization_ids, roles=ACTING_ROLES):
    """Active staff of the given organizations holding a role that acts on requests and complaints (auditors,
    executives and legal officers read; they are not offered as assignees), with their memberships there for
    StaffChoiceField's labels. Ordered by name."""
    from django.contrib.auth import get_user_model
    from django.db.models import Prefetch

    from portal.models import Membership

    ids = list(organization_ids)
    return (get_user_model().objects.filter(is_active=True, memberships__organization_id__in=ids,
                                            memberships__role__in=roles).distinct()
            .prefetch_related(Prefetch("memberships", to_attr="acting_memberships", queryset=Membership.objects.filter(
                organization_id__in=ids, role__in=roles).select_related("department")))
            .order_by("first_name", "last_name", "username"))


def staff_label(user) -> str:
    """"สมศรี ใจดี · สำนักปลัด": a person's name and department(s), the username only when no name is recorded."""
    name = user.get_full_name().strip() or user.username
    memberships = getattr(user, "acting_memberships", None)
    if memberships is None:
        memberships = user.memberships.select_related("department")
    departments = sorted({m.department.name_th for m in memberships if m.department_id})
    return f"{name} · {', '.join(departments)}" if departments else name


class StaffChoiceField(forms.ModelChoiceField):
    """An assignee drop-down that shows people by name and department (see staff_label)."""

    def label_from_instance(self, obj):
        return staff_label(obj)


def person_name(user) -> str:
    """A staff member as people know them: the name, the username only when no name is recorded."""
    return (user.get_full_name().strip() or user.username) if user is not None else ""


ASSIGNEE = _("ผู้รับผิดชอบ")


def person_column(field="assignee", description=ASSIGNEE):
    """A list column showing a person by name (list_select_related the field to keep one query)."""

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return person_name(getattr(obj, field)) or "-"

    return column
