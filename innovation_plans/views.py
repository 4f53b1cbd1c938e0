"""Public plan pages per organization, and the auditor's reports (HTML, PDF, XLSX, CSV, background jobs)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import thai
from portal.access.permissions import can, organization_ids_for, organizations_for
from portal.access.tenancy import has_role
from portal.inputs.ratelimit import limited
from portal.machinery import jobs
from portal.machinery.dbrouting import replica_reads
from portal.models import BackgroundJob, Organization
from portal.outputs.files import serve_private

from . import reports, selectors, services
from .jobs import REPORT
from .models import EvidenceFile, Plan
from .selectors import REPORT_ROLES
from .warning_text import matrix_sentences

# Public plan pages: every view counts, per organization and client address (portal.inputs.ratelimit).
public_rate_limit = limited("120/m", group="plans-public", count="all", methods=("GET", "HEAD"))


def _organization(org_slug):
    return get_object_or_404(Organization, slug=org_slug, is_active=True)


@public_rate_limit
def plan_list(request, org_slug):
    organization = _organization(org_slug)
    return render(request, "innovation_plans/plan_list.html", {
        "organization": organization, "plans": selectors.published_plans(organization),
        "can_report": request.user.is_authenticated and has_role(request.user, organization.pk, *REPORT_ROLES),
    })


@public_rate_limit
def plan_detail(request, org_slug, pk):
    organization = _organization(org_slug)
    try:
        plan = selectors.get_public_plan(organization, pk)
    except Plan.DoesNotExist:
        raise Http404 from None
    figures = selectors.plan_figures(plan)
    context = reports.report_context(figures)
    query = " ".join(request.GET.get("q", "").split())[:100]
    return render(request, "innovation_plans/plan_detail.html", {
        "organization": organization, "plan": plan, "fig": figures, "current_year": thai.fiscal_year(_today()),
        "year": None, **context, "mismatch_sentences": matrix_sentences(context["matrix"]),
        "query": query, "component_list": _component_list(figures, query),
        "can_report": request.user.is_authenticated and has_role(request.user, organization.pk, *REPORT_ROLES),
    })


# A plan with more activities than this opens with its components folded (details/summary, no script needed).
FOLD_ABOVE = 12


def _component_list(figures, query: str) -> list[dict]:
    """Components with the activities to show: all of them, or those whose title, details, expected outcome or
    responsible unit contain the search words (Thai has no spaces, so a plain substring match; digits in either
    style match)."""
    words = [thai.to_arabic_digits(w).casefold() for w in query.split()]
    total = sum(len(c.activities) for c in figures.components)
    out = []
    for c in figures.components:
        activities = c.activities
        if words:
            def text(a):
                act = a.activity
                return thai.to_arabic_digits(" ".join(
                    [act.number, act.title, act.details, act.benefits, act.responsible_unit])).casefold()

            activities = [a for a in activities if all(w in text(a) for w in words)]
            if not activities:
                continue
        out.append({"c": c, "activities": activities, "open": bool(words) or total <= FOLD_ABOVE})
    return out


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _report_plan(request, org_slug, pk):
    """A plan the user may report on: staff (auditor, administrator, officer, executive) of its organization."""
    organization = _organization(org_slug)
    if not has_role(request.user, organization.pk, *REPORT_ROLES):
        raise PermissionDenied
    try:
        plan = selectors.plan_with_everything(Plan.objects.filter(organization=organization)).get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None
    return organization, plan


def _fiscal_year(request, plan=None, raw=None):
    """The fiscal year asked for (GET ?year=, or `raw`), in Thai or Arabic digits; None for all years."""
    if raw is None:
        raw = request.GET.get("year", "")
    raw = thai.to_arabic_digits(str(raw)).strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit():
        raise _BadRequest(_("ปีงบประมาณต้องเป็นตัวเลข พ.ศ."))
    year = int(raw)
    if not 2400 <= year <= 2700:
        raise _BadRequest(_("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2567"))
    if plan is not None and year not in plan.years:
        raise _BadRequest(_("ปี %(y)s อยู่นอกช่วงของแผน (พ.ศ. %(a)s–%(b)s)")
                          % {"y": year, "a": plan.fiscal_year_start, "b": plan.fiscal_year_end})
    return year


class _BadRequest(Exception):
    pass


def _bad_request(request, message):
    return render(request, "portal/error.html", {"message": message, "status": 400}, status=400)


@login_required
def plan_report(request, org_slug, pk):
    organization, plan = _report_plan(request, org_slug, pk)
    try:
        year = _fiscal_year(request, plan)
    except _BadRequest as exc:
        return _bad_request(request, str(exc))
    figures = selectors.plan_figures(plan, year)
    return render(request, "innovation_plans/report.html", {
        "organization": organization, "plan": plan, "fig": figures, "year": year,
        **reports.report_context(figures, year),
    })


@login_required
def plan_report_download(request, org_slug, pk, fmt):
    if fmt not in reports.FORMATS:
        raise Http404
    organization, plan = _report_plan(request, org_slug, pk)
    try:
        year = _fiscal_year(request, plan)
    except _BadRequest as exc:
        return _bad_request(request, str(exc))
    with replica_reads():  # a report: may be a moment old (portal.machinery.dbrouting); access was checked above
        content = reports.build_plan_report(plan, year, fmt)
    return _file_response(content, fmt, reports.plan_filename(plan, year, fmt))


@login_required
@require_POST
def plan_report_background(request, org_slug, pk):
    organization, plan = _report_plan(request, org_slug, pk)
    fmt = request.POST.get("fmt", "pdf")
    if fmt not in reports.FORMATS:
        return _bad_request(request, _("รูปแบบไม่รองรับ"))
    try:
        year = _fiscal_year(request, plan, raw=request.POST.get("year") or request.GET.get("year", ""))
    except _BadRequest as exc:
        return _bad_request(request, str(exc))
    job = services.request_report(actor=request.user, fmt=fmt, year=year, plan=plan)
    return redirect("innovation-plans-report-job", job_uuid=job.uuid)


def _file_response(content: bytes, fmt: str, filename: str):
    response = HttpResponse(content, content_type=reports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name):
    from urllib.parse import quote

    return quote(name)


def _audited_organizations(user):
    return organizations_for(user, roles=REPORT_ROLES)


# A page is read whole (each line its whole plan: activities, budgets, monitoring): 20 lines keep an auditor of a
# thousand organizations within twice the time of an auditor of three (BENCHMARKS.md); the downloads carry them all.
AUDIT_PAGE_SIZE = 20


@login_required
def audit_summary(request):
    # the ids the permission check already read (kept on the user for the request): no query to test or count them
    organization_count = len(organization_ids_for(request.user, roles=REPORT_ROLES))
    if not organization_count:
        raise PermissionDenied
    try:
        year = _fiscal_year(request)
    except _BadRequest as exc:
        return _bad_request(request, str(exc))
    # A page of plans at a time: each line reads its whole plan (an auditor of 1,000 organizations waited seconds
    # for all of them); the downloads carry every line.
    from django.core.paginator import Paginator
    from django.utils.http import urlencode

    with replica_reads():  # a report: may be a moment old (portal.machinery.dbrouting); access was checked above
        # every plan id in one read, paged here: a count and a page were two reads over the same plans
        page = Paginator(list(selectors.auditor_plans(request.user, year, REPORT_ROLES).values_list("pk", flat=True)),
                         AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        lines = selectors.plans_summary_for_auditor(request.user, year, REPORT_ROLES,
                                                    plan_ids=list(page.object_list))

    def page_url(number):
        return "?" + urlencode({**({"year": year} if year else {}), "page": number})

    return render(request, "innovation_plans/audit_summary.html", {
        "organization_count": organization_count, "lines": lines, "year": year, "page": page,
        "totals": reports.summary_totals(lines),
        "prev_url": page_url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": page_url(page.next_page_number()) if page.has_next() else "",
    })


@login_required
def audit_summary_download(request, fmt):
    if fmt not in reports.FORMATS:
        raise Http404
    if not _audited_organizations(request.user).exists():
        raise PermissionDenied
    try:
        year = _fiscal_year(request)
    except _BadRequest as exc:
        return _bad_request(request, str(exc))
    if request.GET.get("background"):
        job = services.request_report(actor=request.user, fmt=fmt, year=year)
        return redirect("innovation-plans-report-job", job_uuid=job.uuid)
    with replica_reads():  # a report: may be a moment old (portal.machinery.dbrouting); access was checked above
        lines = selectors.plans_summary_for_auditor(request.user, year, REPORT_ROLES)
        content = reports.build_summary(lines, year, fmt)
    return _file_response(content, fmt, reports.summary_filename(year, fmt))


def _job_for(request, job_uuid):
    """A report job of the person asking; anybody else's (or another kind of job) looks like no job at all."""
    job = BackgroundJob.objects.filter(uuid=job_uuid, kind=REPORT).first()
    if job is None or not jobs.visible_to(request.user, job):
        raise Http404
    return job


@login_required
def report_job(request, job_uuid):
    job = _job_for(request, job_uuid)
    done = job.status == BackgroundJob.Status.DONE
    if request.GET.get("format") == "json" or request.accepts("application/json") and not request.accepts("text/html"):
        from django.http import JsonResponse

        return JsonResponse({"status": job.status, "progress": job.percent, "message": job.message,
                             "download": reverse("innovation-plans-report-job-download", args=[job.uuid])
                             if done else None})
    # Still queued after the sweep's delay: the broker was probably down when it was sent. The sweep sends it
    # again by itself; the button lets the person do it now.
    return render(request, "innovation_plans/report_job.html", {
        "job": job, "fmt": job.params.get("fmt", ""), "can_retry": jobs.is_stuck(job)
        or job.status == BackgroundJob.Status.FAILED})


@login_required
@require_POST
def report_job_retry(request, job_uuid):
    """Run a failed (or stuck-in-queue) job again with the same parameters."""
    job = _job_for(request, job_uuid)
    if job.status not in (BackgroundJob.Status.FAILED, BackgroundJob.Status.QUEUED):
        return _bad_request(request, _("งานนี้ไม่ได้ล้มเหลว จึงไม่ต้องลองใหม่"))
    services.retry_report(job=job, actor=request.user)  # a job queued moments ago is simply on its way
    return redirect("innovation-plans-report-job", job_uuid=job.uuid)


@login_required
def report_job_download(request, job_uuid):
    job = _job_for(request, job_uuid)
    if job.status != BackgroundJob.Status.DONE or not job.result:
        raise Http404
    return serve_private(request, job.result, filename=job.filename)


@login_required
def evidence_download(request, pk):
    """M&E evidence is private: only staff whose role in the plan's organization lets them view it."""
    evidence = get_object_or_404(EvidenceFile.objects.select_related("record__activity__plan"), pk=pk)
    if not can(request.user, "view", evidence):
        raise Http404
    return serve_private(request, evidence.file, filename=f"evidence-{evidence.pk}.{evidence.file.name.rsplit('.', 1)[-1]}")


@login_required
def source_download(request, pk):
    """A plan's source document is private, draft or published: staff whose role in the plan's organization lets
    them view the plan."""
    plan = get_object_or_404(Plan, pk=pk)
    if not plan.source_document or not can(request.user, "view", plan):
        raise Http404
    return serve_private(request, plan.source_document, filename=plan.source_name or None)
