"""The OpenAPI schema documents every error answer an operation can give, decided here once from the view itself
(authentication, permissions, throttles, path parameters, pagination, request body) rather than annotated view by
view, each with the JSON body it carries. tests/portal/test_api_fuzz.py fails on any status the schema does not
list, so a view that starts answering something new must be described here (or fixed)."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular import authentication as spectacular_authentication
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication

# Permissions that refuse only the anonymous caller: that is a 401 (NotAuthenticated), never a 403.
_ANONYMOUS_ONLY = (permissions.AllowAny, permissions.IsAuthenticated, permissions.IsAuthenticatedOrReadOnly)



class BasicScheme(spectacular_authentication.BasicScheme):
    """HTTP Basic as drf-spectacular documents it, for the portal's NUL-safe subclass (portal.api.authentication)."""

    target_class = "portal.api.authentication.BasicAuthentication"


class ErrorSerializer(serializers.Serializer):
    """The body of DRF's error answers other than field validation: {"detail": "..."}."""

    detail = serializers.CharField(help_text=_("ข้อความบอกสาเหตุ"))

    class Meta:
        ref_name = "Error"


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": _("ข้อความต่อช่อง (ชื่อพารามิเตอร์หรือชื่อฟิลด์) หรือ detail สำหรับทั้งคำขอ"),
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}

# status: (component name, description, body schema name, headers)
_RESPONSES = {
    400: ("BadRequest", _("ข้อมูลไม่ถูกต้อง: พารามิเตอร์หรือฟิลด์ไม่ผ่านการตรวจ หรือมีอักขระ NUL"),
          "ValidationError", {}),
    401: ("Unauthorized", _("ไม่ได้เข้าสู่ระบบ หรือชื่อผู้ใช้/รหัสผ่านไม่ถูกต้อง"), "Error",
          {"WWW-Authenticate": _("วิธียืนยันตัวตนที่ใช้ได้ (HTTP Basic)")}),
    403: ("Forbidden", _("เข้าสู่ระบบแล้วแต่ไม่มีสิทธิ์ในองค์กรนี้ หรือ CSRF token ไม่ถูกต้อง"), "Error", {}),
    404: ("NotFound", _("ไม่พบรายการ (หรือเป็นของอีกองค์กร) หรือหน้าที่ขอเกินหน้าสุดท้าย"), "Error", {}),
    415: ("UnsupportedMediaType", _("ชนิดเนื้อหาของคำขอไม่รองรับ"), "Error", {}),
    429: ("TooManyRequests", _("ส่งคำขอถี่เกินไป หรือเข้าสู่ระบบผิดหลายครั้งจนถูกระงับชั่วคราว"), "Error",
          {"Retry-After": _("จำนวนวินาทีที่ควรรอก่อนลองใหม่")}),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema plus the standard error responses of each operation (an explicit
    @extend_schema response for the same status wins), shaped so that client generators (openapi-python-client
    and the like) build every operation: operationIds are identifiers, and a binary answer is also offered as
    `application/octet-stream`, the one binary type generators read as bytes."""

    def get_operation_id(self):
        # "tax_bills_qr.png_retrieve" is not a function name in any language a generator writes.
        return re.sub(r"\W+", "_", super().get_operation_id())

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for status in self.error_statuses(operation):
            responses.setdefault(str(status), self._error_response(status))
        for parameter in operation.get("parameters", []):
            # A Thai `title` would become the generated class's name (ComplaintsListสถานะ, its vowels dropped):
            # it moves into the description, and generators name the enum after the parameter (ComplaintsListStatus).
            title = parameter.get("schema", {}).pop("title", None)
            if title:
                parameter["description"] = "\n\n".join(filter(None, [str(title), parameter.get("description")]))
        for response in responses.values():
            content = response.get("content", {}) if isinstance(response, dict) else {}
            binary = [c for c in content.values() if c.get("schema", {}).get("format") == "binary"]
            if binary and "application/octet-stream" not in content:
                content["application/octet-stream"] = {"schema": {"type": "string", "format": "binary"}}
        return operation

    def error_statuses(self, operation) -> list[int]:
        view, method = self.view, self.method
        authenticators = view.get_authenticators()
        refusing = [p for p in view.get_permissions() if not isinstance(p, _ANONYMOUS_ONLY)]
        csrf = method not in permissions.SAFE_METHODS and any(
            isinstance(a, SessionAuthentication) for a in authenticators)
        has_path_params = any(p.get("in") == "path" for p in operation.get("parameters", []))
        paginated = method == "GET" and self._is_list_view() and self._get_paginator() is not None
        statuses = [400]  # every request passes the text hygiene (a NUL anywhere is refused) and its validation
        if authenticators:
            statuses.append(401)  # missing credentials on a protected operation, or wrong ones anywhere
        if refusing or csrf:
            statuses.append(403)
        if has_path_params or paginated:
            statuses.append(404)
        if "requestBody" in operation:
            statuses.append(415)
        if view.get_throttles() or authenticators:  # throttled, or Basic logins locked out (django-axes)
            statuses.append(429)
        return statuses

    def _error_response(self, status):
        name, description, body, headers = _RESPONSES[status]
        if body == "Error":
            ref = self.resolve_serializer(ErrorSerializer, "response").ref
        else:
            component = ResolvedComponent(name=body, type=ResolvedComponent.SCHEMA, object=body,
                                          schema=VALIDATION_ERROR_SCHEMA)
            self.registry.register_on_missing(component)
            ref = component.ref
        response = {"description": description, "content": {"application/json": {"schema": ref}}}
        if headers:
            response["headers"] = {header: {"description": text, "schema": {"type": "string"}}
                                   for header, text in headers.items()}
        component = ResolvedComponent(name=name, type=ResolvedComponent.RESPONSE, object=name, schema=response)
        self.registry.register_on_missing(component)
        return component.ref
