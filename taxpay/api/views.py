from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from portal.api.viewsets import IsOrganizationStaff, OrganizationScopedViewSetMixin
from portal.models import Organization, Role
from portal.outputs import qr as qr_image
from portal.selectors import service_is_off

from .. import qr, rules, selectors, services
from ..models import Bill
from .serializers import (
    BillSerializer,
    LandBuildingEstimateSerializer,
    LandBuildingQuerySerializer,
    SignboardEstimateSerializer,
    SignboardQuerySerializer,
)


class EstimateThrottle(AnonRateThrottle):
    scope = "tax-estimate"
    rate = "60/min"


def _rates(data, year=None):
    """The asking organization's rates (`organization` slug), else the national ones; an unknown slug is a 400."""
    slug = data.get("organization")
    if not slug:
        return selectors.estimate_rates(None)
    organization = Organization.objects.filter(slug=slug, is_active=True).first()
    if organization is None:
        raise ValidationError({"organization": [_("ไม่พบองค์กรนี้")]})
    if service_is_off(organization.pk, "taxpay"):
        raise NotFound(_("องค์กรนี้ไม่เปิดบริการภาษีออนไลน์"))
    return selectors.estimate_rates(organization, year)


def _lines(computation):
    return [{"kind": line["kind"], "label": selectors.describe_line(line)[0],
             "amount": selectors.describe_line(line)[1]} for line in computation.lines]


class LandBuildingEstimateView(APIView):
    """Land-and-building tax for one holding by the year's rates (anonymous, throttled)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [EstimateThrottle]

    @extend_schema(parameters=[LandBuildingQuerySerializer], responses=LandBuildingEstimateSerializer,
                   auth=[], operation_id="tax_estimate_land_building")
    def get(self, request):
        query = LandBuildingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rates = _rates(data, data["year"])
        try:
            result = rules.land_building_tax(data["value"], use=data["use"], owner=data["owner"],
                                             schedule=rates["schedule"](data["use"]),
                                             relief_percent=rates["relief_percent"])
        except rules.RuleError as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response({"tax": str(result.tax), "lines": _lines(result)})


class SignboardEstimateView(APIView):
    """Signboard tax for one sign (anonymous, throttled): area in 500 cm² units, 200-baht minimum; with
    `quarter`, the first-year share of a sign put up in that quarter."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [EstimateThrottle]

    @extend_schema(parameters=[SignboardQuerySerializer], responses=SignboardEstimateSerializer, auth=[],
                   operation_id="tax_estimate_signboard")
    def get(self, request):
        query = SignboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            result = rules.signboard_tax(kind=data["kind"], changing=data["changing"] == "1",
                                         width_cm=data["width_cm"], height_cm=data["height_cm"],
                                         quarter=data.get("quarter"), rates=_rates(data)["sign_rates"])
        except rules.RuleError as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response({"tax": str(result.tax), "units": result.units, "lines": _lines(result)})


class BillViewSet(OrganizationScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Current bills of the caller's organizations (finance roles), with the amount due today and its Thai QR."""

    queryset = (Bill.objects.filter(status=Bill.Status.ISSUED).select_related("organization", "owner")
                .prefetch_related("payments").order_by("organization", "-year", "number"))
    serializer_class = BillSerializer
    permission_classes = [IsOrganizationStaff]
    scope_roles = (Role.ADMINISTRATOR, Role.FINANCE, Role.AUDITOR, Role.EXECUTIVE)
    filterset_fields = {"year": ["exact"], "tax_type": ["exact"], "number": ["exact"]}

    def get_queryset(self):
        queryset = super().get_queryset()
        slug = self.request.query_params.get("organization")
        return queryset.filter(organization__slug=slug) if slug else queryset

    def get_serializer(self, *args, **kwargs):
        """The state of each bill on the page (payments allocated, charges for today) computed once."""
        if args:
            bills = [args[0]] if isinstance(args[0], Bill) else list(args[0])
            today = services.today()
            states = {b.pk: selectors.bill_state(b, on=today) for b in bills}
            kwargs["context"] = {**self.get_serializer_context(), "states": states,
                                 "payloads": {pk: _payload(s) for pk, s in states.items()}}
        return super().get_serializer(*args, **kwargs)

    @extend_schema(responses={(200, "image/png"): bytes},
                   parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    @action(detail=True, methods=["get"], url_path="qr.png", url_name="qr-png")
    def qr_png(self, request, pk=None):
        bill = self.get_object()
        payload = _payload(selectors.bill_state(bill, on=services.today()))
        if payload is None:
            return Response({"detail": _("ไม่มียอดที่ต้องชำระ")}, status=404)
        return HttpResponse(qr_image.png_bytes(payload), content_type="image/png")


def _payload(state):
    try:
        return selectors.qr_payload(state)
    except qr.PayloadError:  # the organization has no 13-digit tax ID yet
        return None
