"""Staff file a complaint on a citizen's behalf (phone, counter, Facebook)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext

from portal.access.tenancy import user_org_ids
from portal.inputs.forms import apply_errors
from portal.models import Role

from .. import services
from ..forms import StaffComplaintForm
from ..models import Category


class FileOnBehalfMixin:
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("file/", self.admin_site.admin_view(self.file_view), name="{}_{}_file".format(*info))] + \
            super().get_urls()

    def file_view(self, request):
        if not self.has_view_permission(request) or not super().has_add_permission(request):
            raise PermissionDenied
        org_ids = user_org_ids(request.user, (Role.ADMINISTRATOR, Role.OFFICER))
        categories = Category.objects.filter(is_active=True, is_protected=False)
        if not request.user.is_superuser:
            categories = categories.filter(organization__in=org_ids)
        form = StaffComplaintForm(request.POST or None, request.FILES or None, categories=categories)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    complaint = services.submit_complaint(
                        organization=data["category"].organization, category=data["category"],
                        description=data["description"], channel=data["channel"], latitude=data["latitude"],
                        longitude=data["longitude"], address=data["address"], village=data["village"],
                        photos=data["photos"], contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                        contact_email=data["contact_email"], notify_channel=data["notify_channel"],
                        pdpa_consent=data["pdpa_consent"], filed_by=request.user)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, gettext("บันทึกเรื่อง %(c)s แล้ว") % {"c": complaint.tracking_code})
                    return HttpResponseRedirect(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
        return render(request, "admin/complaints/file.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "form": form,
            "title": gettext("บันทึกเรื่องแทนผู้แจ้ง")}, status=status)
