"""Staff dashboard: every ordinary complaint per organization the user works for, with a map of open ones."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext

from portal.access.tenancy import user_org_ids
from portal.models import Organization

from .. import selectors


class DashboardMixin:
    def get_urls(self):
        return [
            path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="complaints_complaint_dashboard"),
            path("dashboard/<int:org_id>/map.json", self.admin_site.admin_view(self.dashboard_map),
                 name="complaints_complaint_dashboard_map"),
        ] + super().get_urls()

    def _dashboard_orgs(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        orgs = Organization.objects.filter(is_active=True).order_by("name_th")
        return orgs if request.user.is_superuser else orgs.filter(pk__in=user_org_ids(request.user))

    def dashboard_view(self, request):
        """Non-public categories included, corruption reports never; the overdue count per organization."""
        sections = [{"organization": org, "stats": selectors.dashboard(org, public=False), **selectors.map_context(org),
                     "map_url": reverse("admin:complaints_complaint_dashboard_map", args=[org.pk])}
                    for org in self._dashboard_orgs(request)[:20]]
        return render(request, "admin/complaints/complaint/dashboard.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "sections": sections,
            "title": gettext("สถิติเรื่องร้องเรียน")})

    def dashboard_map(self, request, org_id):
        organization = self._dashboard_orgs(request).filter(pk=org_id).first()
        if organization is None:
            raise PermissionDenied
        return JsonResponse({"points": selectors.map_points(organization, public=False)})
