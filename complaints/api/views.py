from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.access.permissions import can
from portal.api.viewsets import IsOrganizationStaff, OrganizationScopedViewSetMixin
from portal.selectors import without_services_off

from .. import services
from ..models import Asset, Category, Complaint
from .serializers import (
    AssetSerializer,
    CategorySerializer,
    ComplaintSerializer,
    ReplySerializer,
    TransitionSerializer,
)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Public complaint categories of every organization (the protected corruption channel is not listed)."""

    queryset = Category.objects.filter(is_active=True, is_protected=False, is_public=True,
                                       organization__is_active=True).select_related(
        "organization")
    serializer_class = CategorySerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["organization__slug"]
    public_read = True

    def get_queryset(self):  # not the organizations that switched complaints off
        return without_services_off(super().get_queryset(), "complaints")


class AssetViewSet(OrganizationScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """QR assets of the caller's organizations, with scan counts."""

    queryset = Asset.objects.select_related("organization").order_by("organization", "code")
    serializer_class = AssetSerializer
    permission_classes = [IsOrganizationStaff]
    filterset_fields = ["kind", "village", "batch"]


class ComplaintViewSet(OrganizationScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Complaints of the caller's organizations (never corruption reports), with workflow actions."""

    queryset = (Complaint.objects.filter(is_protected=False).select_related("organization", "category")
                .prefetch_related("updates").order_by("-created_at"))
    serializer_class = ComplaintSerializer
    permission_classes = [IsOrganizationStaff]
    filterset_fields = ["status", "category", "department", "channel"]
    lookup_field = "tracking_code"
    lookup_value_regex = "[A-Za-z0-9-]{1,24}"

    def _check_change(self, complaint):
        if not can(self.request.user, "change", complaint):
            self.permission_denied(self.request, message=_("ไม่มีสิทธิ์แก้ไขเรื่องนี้"))

    @extend_schema(request=TransitionSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, tracking_code=None):
        complaint = self.get_object()
        self._check_change(complaint)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.change_status(complaint=complaint, actor=request.user, **data.validated_data)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ComplaintSerializer(self.get_queryset().get(pk=complaint.pk)).data)

    @extend_schema(request=ReplySerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, tracking_code=None):
        complaint = self.get_object()
        self._check_change(complaint)
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.add_reply(complaint=complaint, actor=request.user, **data.validated_data)
        return Response(ComplaintSerializer(self.get_queryset().get(pk=complaint.pk)).data)
