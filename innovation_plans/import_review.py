"""Staff import of a plan document with a review screen before anything is saved (reached from the plan admin).

Upload -> the importer parses it -> the review page shows what would be saved (organization match, duplicates,
stated vs computed totals) -> confirm saves through services.import_plan, or cancel saves nothing. Between the two
steps the uploaded file waits in private storage under a random token kept in the session."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from portal.access.permissions import organizations_for
from portal.access.tenancy import has_role
from portal.models import Organization, Role
from portal.outputs.files import private_storage

from . import forms, services
from .models import Plan

EDITOR_ROLES = (Role.ADMINISTRATOR, Role.OFFICER)
SESSION_KEY = "innovation_plans_import"


def urls(model_admin):
    """The two pages, under the plan admin's address (admin/innovation_plans/plan/import/)."""
    site = model_admin.admin_site
    return [
        path("import/", site.admin_view(lambda request: import_view(request, model_admin)),
             name="innovation_plans_plan_import"),
        path("import/confirm/", site.admin_view(lambda request: import_confirm_view(request, model_admin)),
             name="innovation_plans_plan_import_confirm"),
    ]


def organizations(request):
    """Where this person may import plans: organizations where they administer or plan."""
    return organizations_for(request.user, roles=EDITOR_ROLES)


def _context(request, model_admin, **extra):
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, **extra}


def import_view(request, model_admin):
    choices = organizations(request)
    if not choices.exists():
        raise PermissionDenied
    from .importer import PlanImportError, parse_plan

    form = forms.PlanUploadForm(request.POST or None, request.FILES or None, organizations=choices)
    context = _context(request, model_admin, form=form, title=_("นำเข้าแผนจากเอกสาร"))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        organization = form.cleaned_data["organization"]
        try:
            parsed = parse_plan(form.data_bytes, upload.name)
        except PlanImportError as exc:
            form.add_error("document", str(exc))
            return TemplateResponse(request, "admin/innovation_plans/plan/import.html", context, status=400)
        token = uuid.uuid4().hex
        stored = private_storage.save(f"innovation_plans/pending/{token}", ContentFile(form.data_bytes))
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"parsed": parsed, "organization": organization.pk, "name": upload.name[-200:],
                          "path": stored}
        request.session[SESSION_KEY] = pending
        return _review(request, model_admin, token, pending[token], organization)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "admin/innovation_plans/plan/import.html", context, status=status)


def _review(request, model_admin, token, entry, organization, error=None):
    parsed = entry["parsed"]
    try:
        matched = services.match_organization(parsed.get("organization") or {})
    except services.OrganizationMatchError:
        matched = None
    existing = Plan.objects.filter(organization=organization, title=(parsed.get("title") or "").strip()[:300],
                                   fiscal_year_start=parsed.get("fiscal_year_start"),
                                   fiscal_year_end=parsed.get("fiscal_year_end")).first()
    years = [str(y) for y in range(int(parsed["fiscal_year_start"]), int(parsed["fiscal_year_end"]) + 1)]
    context = _context(
        request, model_admin, title=_("ตรวจทานก่อนบันทึก"), parsed=parsed, token=token, organization=organization,
        org_mismatch=matched is not None and matched != organization, org_unmatched=matched is None,
        existing=existing, years=years, file_name=entry["name"], error=error)
    return TemplateResponse(request, "admin/innovation_plans/plan/import_review.html", context,
                            status=400 if error else 200)


def import_confirm_view(request, model_admin):
    if request.method != "POST":
        return redirect("admin:innovation_plans_plan_import")
    token = request.POST.get("token", "")
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None:
        messages.error(request, _("ไม่พบข้อมูลที่ตรวจทานไว้ กรุณาอัปโหลดใหม่"))
        return redirect("admin:innovation_plans_plan_import")
    organization = Organization.objects.filter(pk=entry["organization"]).first()
    if organization is None or not (request.user.is_superuser
                                    or has_role(request.user, organization.pk, *EDITOR_ROLES)):
        raise PermissionDenied
    if request.POST.get("cancel"):
        _discard(request, token, entry)
        messages.info(request, _("ยกเลิกการนำเข้าแล้ว ไม่มีการบันทึก"))
        return redirect("admin:innovation_plans_plan_import")
    try:
        data = private_storage.open(entry["path"]).read() if private_storage.exists(entry["path"]) else None
        plan = services.import_plan(
            organization=organization, parsed=entry["parsed"], source_name=entry["name"], actor=request.user,
            source_bytes=data, replace=bool(request.POST.get("replace")),
            status=Plan.Status.PUBLISHED if request.POST.get("publish") else Plan.Status.DRAFT)
    except services.DuplicatePlanError as exc:
        return _review(request, model_admin, token, entry, organization, error=str(exc))
    except ValidationError as exc:
        return _review(request, model_admin, token, entry, organization, error=" ".join(exc.messages))
    _discard(request, token, entry)
    messages.success(request, _("นำเข้าแผนแล้ว: %(p)s (%(n)s กิจกรรม)") % {
        "p": plan.title, "n": plan.activities.count()})
    return HttpResponseRedirect(reverse("admin:innovation_plans_plan_change", args=[plan.pk]))


def _discard(request, token, entry):
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if private_storage.exists(entry["path"]):
        private_storage.delete(entry["path"])
