"""The invited clerk's pages: accepting the invitation (setting a password), and the set-up wizard of their
organization, one step a page, each saved as they go (coming back resumes at the first step not done)."""

from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import registry
from portal.inputs.ratelimit import limited
from portal.models import Invitation, Organization, OrganizationSetup
from portal.onboarding import forms, services

# The core's own steps (step, title, form class), then every switched-on service app's (portal.registry.SetupStep),
# then "finish".
STEPS = [
    ("names", _("ชื่อองค์กร"), forms.NamesForm),
    ("contact", _("ติดต่อและเวลาทำการ"), forms.ContactForm),
    ("logo", _("ตราสัญลักษณ์"), forms.LogoForm),
    ("line", _("บัญชี LINE"), forms.LineForm),
    ("digits", _("รูปแบบตัวเลข"), forms.DigitsForm),
    ("services", _("บริการที่เปิด"), forms.ServicesForm),
    ("departments", _("หน่วยงาน"), forms.DepartmentsForm),
    ("staff", _("บัญชีเจ้าหน้าที่"), forms.StaffForm),
]
STEP_NAMES = [name for name, _title, _form in STEPS]


def wizard_steps(setup_row) -> list[tuple[str, str, object]]:
    """(name, title, core form class or SetupStep) of this organization's wizard: the core's steps, then the steps
    of the service apps it has not switched off."""
    off = setup_row.services_off if setup_row else ()
    return [*STEPS, *((step.key, step.title, step) for step in registry.setup_steps(off))]


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
    step = next((name for name, _t, _f in wizard_steps(setup_row) if name not in done), "finish")
    return redirect(reverse("onboarding:step", args=[organization.slug, step]))


def _form(step_form, organization, setup_row, data=None, files=None):
    if isinstance(step_form, registry.SetupStep):
        return step_form.form_class(data, files, organization=organization)
    if step_form in (forms.NamesForm, forms.ContactForm, forms.LineForm, forms.DigitsForm):
        return step_form(data, instance=organization)
    if step_form is forms.ServicesForm:
        off = set(setup_row.services_off) if setup_row else set()
        return step_form(data, initial={"on": [label for label, _n in forms.service_choices() if label not in off]})
    if step_form is forms.DepartmentsForm:
        have = set(organization.departments.values_list("code", flat=True))
        return step_form(data, initial={"standard": [code for code, *_names in forms.STANDARD_DEPARTMENTS
                                                     if code in have or not have]})
    return step_form(data, files)


def _join_path(organization):
    def path(user):
        return reverse("onboarding:join", args=[organization.slug, *services.join_args(user)])

    return path


def _save(request, step, step_form, form, organization):
    """The step's write; a ShownOnce to show the clerk, or None."""
    user = request.user
    if isinstance(step_form, registry.SetupStep):
        return services.save_app_step(organization=organization, step=step_form, form=form, actor=user)
    if step == "services":
        services.set_services(organization=organization, off=form.services_off(), actor=user)
    elif step == "departments":
        services.add_departments(organization=organization, departments=form.departments(), actor=user)
    elif step == "staff":
        services.invite_staff(organization=organization, people=form.people(), actor=user,
                              site_url=request.build_absolute_uri("/"), join_path=_join_path(organization))
    else:
        services.save_setup_step(organization=organization, step=step, actor=user, values=dict(form.cleaned_data))
    return None


def step(request, org_slug, step_name):
    organization, answer = _organization(request, org_slug)
    if answer:
        return answer
    setup_row = OrganizationSetup.objects.filter(organization=organization).first()
    done = list(setup_row.steps_done) if setup_row else []
    skipped = setup_row.steps_skipped if setup_row else []
    steps = wizard_steps(setup_row)
    names = [name for name, _t, _f in steps]
    if step_name == "finish":
        return _finish(request, organization, steps, done, skipped)
    if step_name not in names:
        raise Http404
    index = names.index(step_name)
    title, step_form = steps[index][1], steps[index][2]
    next_url = reverse("onboarding:step", args=[organization.slug, names[index + 1]
                                                if index + 1 < len(steps) else "finish"])
    status = 200
    if request.method == "POST":
        if "skip" in request.POST:
            services.save_setup_step(organization=organization, step=step_name, actor=request.user)
            return redirect(next_url)
        form = _form(step_form, organization, setup_row, request.POST, request.FILES)
        if form.is_valid():
            try:
                shown = _save(request, step_name, step_form, form, organization)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if shown is None:
                    return redirect(next_url)
                response = render(request, "portal/onboarding/shown_once.html", {
                    "organization": organization, "shown": shown, "title": title, "next_url": next_url})
                response["Cache-Control"] = "no-store"
                return response
        organization.refresh_from_db()  # the page's title and brand keep the saved names, not the bad input
        status = 400
    else:
        form = _form(step_form, organization, setup_row)
    return render(request, "portal/onboarding/step.html", {
        "organization": organization, "form": form, "step": step_name, "title": title, "number": index + 1,
        "steps": _progress(organization, steps, done, step_name, skipped), "total": len(steps),
        "staff": organization.memberships.select_related("user").order_by("user__username")
        if step_name == "staff" else (),
        "back_url": reverse("onboarding:step", args=[organization.slug, names[index - 1]]) if index else "",
    }, status=status)


def _progress(organization, steps, done, current, skipped=()):
    return [{"name": name, "title": title, "done": name in done and name not in skipped,
             "skipped": name in skipped, "current": name == current,
             "url": reverse("onboarding:step", args=[organization.slug, name])} for name, title, _f in steps]


def _finish(request, organization, steps, done, skipped):
    if request.method == "POST":
        services.finish_setup(organization=organization, actor=request.user)
        organization.refresh_from_db()
        if organization.is_active:
            return redirect(organization.get_absolute_url())
        return redirect(reverse("admin:index"))
    return render(request, "portal/onboarding/finish.html", {
        "organization": organization, "steps": _progress(organization, steps, done, "finish", skipped),
        "skipped": [title for name, title, _f in steps if name not in done or name in skipped],
        "departments": organization.departments.order_by("name_th"),
        "back_url": reverse("onboarding:step", args=[organization.slug, steps[-1][0]]),
    })


@limited("20/h", group="onboarding-join")
def join(request, org_slug, uidb64, token):
    """An invited staff member sets their first password (the link in their e-mail), then signs in to the
    staff pages."""
    organization = get_object_or_404(Organization, slug=org_slug)
    user = services.joining_user(organization, uidb64, token)
    if user is None:
        return render(request, "portal/onboarding/invalid.html", {
            "message": _("ลิงก์นี้ใช้ไม่ได้แล้ว (ตั้งรหัสผ่านไปแล้วหรือหมดอายุ) เข้าสู่ระบบด้วยรหัสผ่านที่ตั้งไว้ "
                         "หรือขอให้ผู้ดูแลองค์กรเชิญอีกครั้ง")}, status=410)
    form = forms.JoinForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.set_first_password(user=user, password=form.cleaned_data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(reverse("admin:index"))
    return render(request, "portal/onboarding/join.html", {"form": form, "organization": organization,
                                                           "person": user},
                  status=400 if request.method == "POST" else 200)
