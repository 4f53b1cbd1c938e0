"""Error pages that keep citizens in their organization: a 400/403/404/429/500 under /<org_slug>/ shows that
organization's header, says in words what happened and what to do next, and links back to it."""

import logging

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.debug import SafeExceptionReporterFilter

logger = logging.getLogger(__name__)


def organization_for(request):
    """The active organization whose slug starts the path, or None (never raises: a 500 page must render)."""
    # On an organization's own host (portal.web.hosts) the host names it; elsewhere the path's first segment.
    slug = getattr(request, "organization_host_slug", "") or request.path.strip("/").split("/", 1)[0]
    if not slug:
        return None
    try:
        from portal.models import Organization

        return Organization.objects.filter(slug=slug[:100], is_active=True).first()
    except Exception:  # the database may be what failed
        logger.warning("error page: organization lookup failed", exc_info=True)
        return None


def _texts(status):
    return {
        400: (_("คำขอไม่ถูกต้อง"), _("ข้อมูลที่ส่งมาอ่านไม่ได้ อาจพิมพ์ลิงก์ไม่ครบหรือแบบฟอร์มหมดอายุ"),
              _("ย้อนกลับไปหน้าก่อนแล้วลองใหม่อีกครั้ง")),
        403: (_("ไม่มีสิทธิ์เข้าถึงหน้านี้"), _("หน้านี้สงวนไว้สำหรับผู้มีสิทธิ์ หรือแบบฟอร์มหมดอายุ"),
              _("ถ้าเป็นเจ้าหน้าที่ กรุณาเข้าสู่ระบบก่อน ถ้าส่งแบบฟอร์มอยู่ ให้โหลดหน้าใหม่แล้วส่งอีกครั้ง")),
        404: (_("ไม่พบหน้าที่ต้องการ"), _("ลิงก์นี้อาจพิมพ์ผิด หรือหน้านี้ถูกย้ายหรือเลิกใช้แล้ว"),
              _("ตรวจสอบลิงก์อีกครั้ง หรือเริ่มจากหน้าแรกขององค์กร")),
        429: (_("มีคำขอมากเกินไป"), _("ส่งคำขอถี่เกินไปในเวลาสั้น ๆ ระบบจึงหยุดรับไว้ชั่วคราว"),
              _("รอสักครู่แล้วลองใหม่ ข้อความที่พิมพ์ไว้ยังอยู่ในหน้าก่อน กดย้อนกลับได้")),
        500: (_("ระบบขัดข้องชั่วคราว"), _("เกิดข้อผิดพลาดฝั่งระบบ ไม่ใช่ความผิดของท่าน"),
              _("ลองใหม่อีกครั้งในอีกสักครู่ ถ้ายังไม่ได้ กรุณาโทรติดต่อองค์กร")),
        503: (_("ระบบมีงานมากชั่วคราว"), _("ระบบกำลังบันทึกรายการอื่นอยู่ รายการของท่านยังไม่ได้บันทึก"),
              _("รอสักครู่แล้วส่งอีกครั้ง ข้อความที่พิมพ์ไว้ยังอยู่ในหน้าก่อน กดย้อนกลับได้")),
    }[status]


def error_response(request, status, *, message=None, organization=None, extra=None):
    """Render templates/error.html for `status` (400, 403, 404, 429, 500 or 503) with the organization of the path."""
    title, what, next_step = _texts(status)
    if request.path.startswith("/api/"):  # API clients get the body the schema documents (portal.api.openapi)
        return JsonResponse({"detail": str(message or what)}, status=status, json_dumps_params={"ensure_ascii": False})
    organization = organization or organization_for(request)
    context = {"status": status, "title": title, "what": message or what, "next_step": next_step,
               "organization": organization, "request": request, **(extra or {})}
    try:
        body = loader.render_to_string("error.html", context, request=request)
    except Exception:  # a broken template or context processor must not hide the original error
        logger.exception("error page failed to render")
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{title}</p>"
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    import sys

    if is_database_busy(sys.exc_info()[1]):  # e.g. raised while the session was saved, after the view
        return database_busy_response(request)
    return error_response(request, 500)


BUSY_RETRY_AFTER = 5


def is_database_busy(exc) -> bool:
    """SQLite's "database is locked" (or "database table is locked"): the busy timeout ran out."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "is locked" in str(exc)


def database_busy_response(request):
    response = error_response(request, 503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    """A write that still finds the database locked after the busy timeout: 503 with Retry-After (the
    transaction was rolled back, nothing was saved), in debug mode too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_busy(exception):
            logger.warning("database busy: %s %s answered 503", request.method, request.path)
            return database_busy_response(request)
        return None


class SecretSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (mail to ADMINS, the debug page) leave out every posted value and local variable whose name
    says it is a secret (callback_secret, line_channel_access_token, api_key, password...), not only those a view
    marked with @sensitive_post_parameters: a secret typed into a replace box must not travel in a crash report."""

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None or not params:
            return params
        cleansed = params.copy()
        for key in params:
            if self.hidden_settings.search(key):
                cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute if self.hidden_settings.search(name) else value)
                for name, value in super().get_traceback_frame_variables(request, tb_frame)]
