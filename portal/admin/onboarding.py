"""Onboarding in the admin, for the installation's superuser: the national directory of local administrative
organizations (upload with a dry-run preview, invite an organization from it), the invitations sent, and the
deactivate / reactivate page of an organization."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.inputs import tempuploads
from portal.inputs.uploads import CheckedFile
from portal.models import DirectoryEntry, Invitation, Organization
from portal.onboarding import services
from portal.onboarding.directory import DirectoryFileError, read_directory
from portal.onboarding.forms import DirectoryUploadForm, InviteForm

PREVIEW_ROWS = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _superuser_only(request):
    if not request.user.is_superuser:
        raise PermissionDenied(gettext("เฉพาะผู้ดูแลระบบของการติดตั้งเท่านั้น"))


class SuperuserReadOnlyAdmin(admin.ModelAdmin):
    """Seen by the installation's superusers only; rows change through the onboarding services, never by hand."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(SuperuserReadOnlyAdmin):
    list_display = ["code", "name_th", "kind", "subdistrict", "district", "province", "invite_column"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name_th", "subdistrict", "district", "province"]
    list_select_related = ["organization"]
    list_per_page = 50

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("import/", view(self.import_view), name="portal_directoryentry_import"),
                path("<int:pk>/invite/", view(self.invite_view), name="portal_directoryentry_invite"),
                *super().get_urls()]

    @admin.display(description=_("องค์กรในระบบ"))
    def invite_column(self, obj):
        url = reverse("admin:portal_directoryentry_invite", args=[obj.pk])
        if obj.organization_id:
            return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                               reverse("admin:portal_organization_change", args=[obj.organization_id]),
                               obj.organization.slug, url, gettext("เชิญอีกครั้ง"))
        return format_html('<a class="button" href="{}">{}</a>', url, gettext("เชิญ"))

    def import_view(self, request):
        """Upload → the dry run (what would be created and updated, every bad row) → confirm. The file waits in
        temporary private storage between the two, tied to this session (portal.inputs.tempuploads)."""
        _superuser_only(request)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": gettext("นำเข้าทะเบียน อปท.")}
        status = 200
        form = DirectoryUploadForm()
        if request.method == "POST" and request.POST.get("token"):
            kept = tempuploads.find(request, request.POST["token"], purpose="portal.directory")
            if kept is None:
                messages.error(request, gettext("ไฟล์ที่ตรวจไว้หมดอายุแล้ว กรุณาเลือกไฟล์อีกครั้ง"))
                return redirect("admin:portal_directoryentry_import")
            try:
                rows, errors = read_directory(kept.data, f"f.{kept.extension}")
            except DirectoryFileError as exc:
                rows, errors = [], [str(exc)]
            if errors:
                context.update(errors=[str(e) for e in errors])
                status = 400
            else:
                plan = services.import_directory(rows=rows, actor=request.user)
                tempuploads.discard(request, [kept.token])
                messages.success(request, gettext("นำเข้าแล้ว: เพิ่ม %(c)s แก้ไข %(u)s ไม่เปลี่ยน %(n)s") % {
                    "c": len(plan.create), "u": len(plan.update), "n": plan.unchanged})
                return redirect("admin:portal_directoryentry_changelist")
        elif request.method == "POST":
            form = DirectoryUploadForm(request.POST, request.FILES)
            status = 400
            if form.is_valid():
                data, name = form.cleaned_data["file"], request.FILES["file"].name
                try:
                    rows, errors = read_directory(data, name)
                except DirectoryFileError as exc:
                    form.add_error("file", str(exc))
                else:
                    status = 200 if not errors else 400
                    plan = services.plan_directory_import(rows)
                    context.update(plan=plan, errors=[str(e) for e in errors], rows=len(rows),
                                   created=plan.create[:PREVIEW_ROWS], updated=plan.update[:PREVIEW_ROWS],
                                   preview_rows=PREVIEW_ROWS)
                    if not errors:
                        xlsx = name.lower().endswith(".xlsx")
                        checked = CheckedFile(data=data, mime=XLSX if xlsx else "text/csv",
                                              extension="xlsx" if xlsx else "csv", name=name[:100])
                        kept = tempuploads.stash(request, checked, purpose="portal.directory")
                        context["token"] = kept.token if kept else ""
        context["form"] = form
        return TemplateResponse(request, "admin/portal/directoryentry/import.html", context, status=status)

    def invite_view(self, request, pk):
        _superuser_only(request)
        entry = get_object_or_404(DirectoryEntry.objects.select_related("organization"), pk=pk)
        organization = entry.organization
        form = InviteForm(request.POST or None, organization=organization,
                          initial={"slug": organization.slug if organization else services.suggested_slug(entry)})
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "entry": entry,
                   "title": gettext("เชิญผู้ดูแล %(name)s") % {"name": entry.name_th}, "form": form}
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                invitation, link = services.invite(
                    entry=entry, email=data["email"], slug=data["slug"], host=data["host"], actor=request.user,
                    site_url=request.build_absolute_uri("/"))
                context.update(invitation=invitation, link=link)
                return TemplateResponse(request, "admin/portal/directoryentry/invited.html", context)
            return TemplateResponse(request, "admin/portal/directoryentry/invite.html", context, status=400)
        return TemplateResponse(request, "admin/portal/directoryentry/invite.html", context)


@admin.register(Invitation)
class InvitationAdmin(SuperuserReadOnlyAdmin):
    list_display = ["email", "organization", "created_at", "expires_at", "accepted_at"]
    list_filter = ["accepted_at"]
    search_fields = ["email", "organization__name_th", "organization__slug"]
    list_select_related = ["organization"]
    exclude = ["token_hash"]
    tenancy_global = "the installation's superusers only (has_*_permission), who invite every organization"


class OrganizationActivationMixin:
    """The organization's change page gets a deactivate / reactivate button for the installation's superuser, with a
    page saying what will happen before it does (portal.onboarding.services.set_active)."""

    def get_urls(self):
        return [path("<int:pk>/activation/", self.admin_site.admin_view(self.activation_view),
                     name="portal_organization_activation"), *super().get_urls()]

    def activation_view(self, request, pk):
        _superuser_only(request)
        organization = get_object_or_404(Organization, pk=pk)
        if request.method == "POST":
            services.set_active(organization=organization, active=not organization.is_active, actor=request.user)
            messages.success(request, gettext("เปิดใช้งาน %(name)s แล้ว") % {"name": organization.name_th}
                             if not organization.is_active else
                             gettext("ปิดการใช้งาน %(name)s แล้ว") % {"name": organization.name_th})
            return redirect("admin:portal_organization_change", organization.pk)
        title = gettext("ปิดการใช้งานองค์กร") if organization.is_active else gettext("เปิดใช้งานองค์กรอีกครั้ง")
        return TemplateResponse(request, "admin/portal/organization/activation.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": organization,
            "organization": organization, "title": title})
