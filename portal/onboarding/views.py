"""The invited clerk's pages: accepting the invitation (setting a password), and the set-up wizard of their
organization, one step a page, each saved as they go (coming back resumes at the first step not done)."""

from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.inputs.ratelimit import limited
from portal.models import Invitation, Organization, OrganizationSetup
from portal.onboarding import forms, services

# (step, title, form class); "finish" follows the last one.
STEPS = [
    ("names", _("ชื่อองค์กร"), forms.NamesForm),
    ("contact", _("ติดต่อและเวลาทำการ"), forms.ContactForm),
    ("logo", _("ตราสัญลักษณ์"), forms.LogoForm),
    ("line", _("บัญชี LINE"), forms.LineForm),
    ("services", _("บริการที่เปิด"), forms.ServicesForm),
    ("departments", _("หน่วยงาน"), forms.DepartmentsForm),
]
STEP_NAMES = [name for name, _title, _form in STEPS]


@limited("20/h", group="onboarding-accept", per_organization=False)
def accept(request, invitation_uuid, token):
    invitation = Invitation.objects.select_related("organization").filter(uuid=invitation_uuid).first()
    try:
        services.check_invitation(invitation, token)
    except services.InvitationError as exc:
        return render(request, "portal/onboarding/invalid.html", {"message": str(exc)}, status=exc.status)
    form = forms.AcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept_invitation(invitation=invitation, token=token, password=data["password1"],
                                              first_name=data["first_name"], last_name=data["last_name"])
        except services.InvitationError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(reverse("onboarding:setup", args=[invitation.organization.slug]))
    return render(request, "portal/onboarding/accept.html", {
        "form": form, "invitation": invitation, "organization": invitation.organization},
        status=400 if request.method == "POST" else 200)


def _organization(request, org_slug):
    organization = get_object_or_404(Organization, slug=org_slug)
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not services.may_set_up(request.user, organization):
        raise PermissionDenied(_("เฉพาะผู้ดูแลขององค์กรนี้"))
    return organization, None


def setup(request, org_slug):
    """Where the clerk left off: the first step not saved yet, else the last page."""
    organization, answer = _organization(request, org_slug)
    if answer:
        return answer
    setup_row = OrganizationSetup.objects.filter(organization=organization).first()
    done = set(setup_row.steps_done) if setup_row else set()
    step = next((name for name in STEP_NAMES if name not in done), "finish")
    return redirect(reverse("onboarding:step", args=[organization.slug, step]))


def _form(step_form, organization, setup_row, data=None, files=None):
    if step_form in (forms.NamesForm, forms.ContactForm, forms.LineForm):
        return step_form(data, instance=organization)
    if step_form is forms.ServicesForm:
        off = set(setup_row.services_off) if setup_row else set()
        return step_form(data, initial={"on": [label for label, _n in forms.service_choices() if label not in off]})
    if step_form is forms.DepartmentsForm:
        have = set(organization.departments.values_list("code", flat=True))
        return step_form(data, initial={"standard": [code for code, *_names in forms.STANDARD_DEPARTMENTS
                                                     if code in have or not have]})
    return step_form(data, files)


def _save(step, form, organization, user):
    if step == "services":
        return services.set_services(organization=organization, off=form.services_off(), actor=user)
    if step == "departments":
        return services.add_departments(organization=organization, departments=form.departments(), actor=user)
    return services.save_setup_step(organization=organization, step=step, actor=user, values=dict(form.cleaned_data))


def step(request, org_slug, step_name):
    organization, answer = _organization(request, org_slug)
    if answer:
        return answer
    setup_row = OrganizationSetup.objects.filter(organization=organization).first()
    done = list(setup_row.steps_done) if setup_row else []
    if step_name == "finish":
        return _finish(request, organization, done, setup_row.steps_skipped if setup_row else [])
    if step_name not in STEP_NAMES:
        raise Http404
    index = STEP_NAMES.index(step_name)
    title, step_form = STEPS[index][1], STEPS[index][2]
    next_url = reverse("onboarding:step", args=[organization.slug, STEP_NAMES[index + 1]
                                                if index + 1 < len(STEPS) else "finish"])
    status = 200
    if request.method == "POST":
        if "skip" in request.POST:
            services.save_setup_step(organization=organization, step=step_name, actor=request.user)
            return redirect(next_url)
        form = _form(step_form, organization, setup_row, request.POST, request.FILES)
        if form.is_valid():
            _save(step_name, form, organization, request.user)
            return redirect(next_url)
        organization.refresh_from_db()  # the page's title and brand keep the saved names, not the bad input
        status = 400
    else:
        form = _form(step_form, organization, setup_row)
    return render(request, "portal/onboarding/step.html", {
        "organization": organization, "form": form, "step": step_name, "title": title, "number": index + 1,
        "steps": _progress(organization, done, step_name, setup_row.steps_skipped if setup_row else ()),
        "total": len(STEPS),
        "back_url": reverse("onboarding:step", args=[organization.slug, STEP_NAMES[index - 1]]) if index else "",
    }, status=status)


def _progress(organization, done, current, skipped=()):
    return [{"name": name, "title": title, "done": name in done and name not in skipped,
             "skipped": name in skipped, "current": name == current,
             "url": reverse("onboarding:step", args=[organization.slug, name])} for name, title, _f in STEPS]


def _finish(request, organization, done, skipped):
    if request.method == "POST":
        services.finish_setup(organization=organization, actor=request.user)
        organization.refresh_from_db()
        if organization.is_active:
            return redirect(organization.get_absolute_url())
        return redirect(reverse("admin:index"))
    return render(request, "portal/onboarding/finish.html", {
        "organization": organization, "steps": _progress(organization, done, "finish", skipped),
        "skipped": [title for name, title, _f in STEPS if name not in done or name in skipped],
        "departments": organization.departments.order_by("name_th"),
        "back_url": reverse("onboarding:step", args=[organization.slug, STEP_NAMES[-1]]),
    })
