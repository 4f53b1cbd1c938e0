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
