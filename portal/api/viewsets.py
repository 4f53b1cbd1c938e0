"""Shared DRF pieces: one router every app registers on, and the tenancy mixin for viewsets."""

from django.http import Http404
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from portal.access.tenancy import scope
from portal.models import Department, Organization

router = DefaultRouter()


def exception_handler(exc, context):
    """DRF's, except that a missing object is the translated "not found": Django's Http404 from get_object_or_404
    says "No Complaint matches the given query." in English and names the model."""
    if isinstance(exc, Http404):
        exc = NotFound()
    return drf_exception_handler(exc, context)


class OrganizationScopedViewSetMixin:
    """Staff endpoints: only rows of the caller's organizations; other ids are 404."""

    scope_roles = None

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, self.scope_roles)


class IsOrganizationStaff(permissions.BasePermission):
    message = "ต้องเป็นเจ้าหน้าที่ขององค์กร staff only"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_superuser or user.memberships.exists()))


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name_th", "name_en", "kind", "subdistrict", "district", "province", "phone", "email",
                  "website"]


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Public directory of the organizations on this installation."""

    queryset = Organization.objects.filter(is_active=True)
    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["province", "kind"]
    public_read = True


class DepartmentSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "organization", "parent", "code", "name_th", "name_en"]


class DepartmentViewSet(OrganizationScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Departments of the caller's organizations (staff only)."""

    queryset = Department.objects.select_related("organization")
    serializer_class = DepartmentSerializer
    permission_classes = [IsOrganizationStaff]
    filterset_fields = ["organization__slug"]


router.register("organizations", OrganizationViewSet, basename="organization")
router.register("departments", DepartmentViewSet, basename="department")
