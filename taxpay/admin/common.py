"""What the tax admin pages share: the organizations a person may pick, the upload form and its reading."""


from django import forms
from django.utils.translation import gettext_lazy as _

from portal.access.permissions import organizations_for
from portal.inputs.uploads import check_file, read_limited
from portal.models import Organization
from taxpay.models import (
    Parcel,
)


def organization_choices(request, action="add", model=Parcel):
    return list(organizations_for(request.user, action, model))


XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)"}


def table_bytes(upload) -> bytes:
    """An uploaded table checked by content: an Excel workbook through portal.inputs.uploads, anything else read within
    the size limit and left to the CSV reader, which refuses what is not UTF-8 text."""
    data = read_limited(upload)
    if data[:4] == b"PK\x03\x04" or upload.name.lower().endswith(".xlsx"):
        return check_file(upload, allowed=XLSX).data
    return data


class OrganizationChoiceForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("องค์กร"))

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations])
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk


class UploadForm(OrganizationChoiceForm):
    file = forms.FileField(label=_("ไฟล์ (CSV หรือ XLSX)"))


def import_page(model_admin, request, *, kind: str, model, title: str, columns, template_url: str, **extra):
    """The upload page both table imports share (the register, bank statements): the organization and the file,
    the import started as a background job (whose page the person is sent to), or the file's errors with a 400."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import HttpResponseRedirect
    from django.template.response import TemplateResponse
    from django.urls import reverse

    from taxpay import services

    organizations = organization_choices(request, model=model)
    if not organizations:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, organizations=organizations)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.start_import(organization=form.cleaned_data["organization"], kind=kind,
                                        data=table_bytes(upload), filename=upload.name, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return HttpResponseRedirect(reverse("admin:taxpay_import_job", args=[job.uuid]))
    context = {**model_admin.admin_site.each_context(request), "title": title, "form": form, "errors": errors,
               "columns": columns, "opts": model_admin.model._meta, "template_url": template_url, **extra}
    return TemplateResponse(request, "admin/taxpay/import.html", context, status=400 if errors else 200)
