import contextvars

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the visitor chose English with the language switch.

    Many Thai phones are set to English, so the browser's Accept-Language is not taken as a choice.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _load_digits(slug):
    from portal.models import Organization

    return Organization.objects.filter(slug=slug).values_list("public_digits", flat=True).first()


def _slug_of(organization):
    return organization.slug


def _digits_memo():
    from portal.machinery.cache import Memo
    from portal.models import Organization

    return Memo("portal-org-digits", _load_digits, seconds=300, local_seconds=5,
                invalidate_on=[(Organization, _slug_of)])


class OrganizationDigitsMiddleware:
    """Pages under /<org>/ show numbers in the one digit style the organization chose (portal.thai.in_page_digits,
    the `digits` template filter)."""

    memo = None

    def __init__(self, get_response):
        self.get_response = get_response
        if OrganizationDigitsMiddleware.memo is None:
            OrganizationDigitsMiddleware.memo = _digits_memo()

    def __call__(self, request):
        from portal.thai import page_digits

        token = page_digits.set("arabic")
        try:
            return self.get_response(request)
        finally:
            page_digits.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from portal.thai import page_digits

        slug = view_kwargs.get("org_slug")
        if slug:
            page_digits.set(self.memo.get(str(slug)[:60]) or "arabic")


_request_base_url = contextvars.ContextVar("request_base_url", default="")


class RequestBaseURLMiddleware:
    """Remembers the scheme and host of the request being served, so links written into notifications are
    absolute even when settings.PORTAL_BASE_URL is not set (see absolute_url)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base_url.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_base_url.reset(token)


def absolute_url(path: str) -> str:
    """settings.PORTAL_BASE_URL + path; without that setting, the current request's scheme and host; the bare
    path only outside any request (a Celery task with no setting)."""
    base = (getattr(settings, "PORTAL_BASE_URL", "") or "").rstrip("/") or _request_base_url.get()
    return base + path


class TextInputMiddleware:
    """Every GET and POST value reaches the views without C0 control characters; a NUL anywhere is a 400 with a
    Thai message (see portal.inputs.text). A view that answers NUL itself in its own format (Open311) sets
    `handles_nul = True` on the view function."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from portal.inputs import text

        request.GET, nul_get = text.clean_querydict(request.GET)
        nul_post = False
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data"):
            request.POST, nul_post = text.clean_querydict(request.POST)
        if (nul_get or nul_post) and not getattr(view_func, "handles_nul", False):
            return bad_request(request, text.NUL_MESSAGE)
        return None


def bad_request(request, message):
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/") or not request.accepts("text/html"):
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "portal/error.html", {"message": message, "status": 400}, status=400)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response (settings.PERMISSIONS_POLICY): location for the complaint map only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class SwitchedOffServiceMiddleware:
    """A service an organization switched off (the set-up wizard's services step) answers 404 on that
    organization's pages, on the shared host and its own: the pages of a service app are the URL namespace of the
    app's label (its url_module's app_name). The organization's own staff (and superusers) still reach them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from portal.registry import service_apps
        from portal.selectors import services_switched_off

        slug, match = view_kwargs.get("org_slug"), getattr(request, "resolver_match", None)
        if not slug or match is None:
            return None
        apps = {config.label for config in service_apps()}
        if not any(name in apps for name in match.app_names):
            return None  # the organization's home, its onboarding pages: always there
        organization_id, off = services_switched_off(slug)
        if organization_id is None or not off & set(match.app_names):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from portal.access.permissions import organization_ids_for

            if user.is_superuser or organization_id in organization_ids_for(user):
                return None
        raise Http404
