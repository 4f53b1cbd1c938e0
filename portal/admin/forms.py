from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from portal.access.tenancy import user_org_ids
from portal.models import Membership


class MembershipForm(forms.ModelForm):
    """A role for an existing colleague, or a new staff account created on the spot."""

    new_username = forms.CharField(label=_("ชื่อผู้ใช้ใหม่"), required=False, max_length=150,
                                   help_text=_("เว้นว่างหากเลือกผู้ใช้เดิม"))
    new_password = forms.CharField(label=_("รหัสผ่าน"), required=False, widget=forms.PasswordInput)
    first_name = forms.CharField(label=_("ชื่อ"), required=False, max_length=150)
    last_name = forms.CharField(label=_("นามสกุล"), required=False, max_length=150)

    class Meta:
        model = Membership
        fields = ["organization", "role", "department", "user"]

    def __init__(self, *args, request_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].required = False
        if request_user is not None and not request_user.is_superuser:
            # Legal officer and executive read corruption reports: only the installation's superuser grants them.
            from portal.access.permissions import PROTECTED_ROLES

            self.fields["role"].choices = [c for c in self.fields["role"].choices if c[0] not in PROTECTED_ROLES]
            # Only colleagues already on the staff of one's own organizations can be picked.
            self.fields["user"].queryset = get_user_model().objects.filter(
                memberships__organization_id__in=user_org_ids(request_user)).distinct()

    def clean_new_username(self):
        username = self.cleaned_data.get("new_username", "").strip()
        if username and get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("ชื่อผู้ใช้นี้มีอยู่แล้ว"))
        return username

    def clean(self):
        data = super().clean()
        user, username = data.get("user"), data.get("new_username")
        if bool(user) == bool(username):
            raise forms.ValidationError(
                _("เลือกผู้ใช้เดิม หรือกรอกชื่อผู้ใช้ใหม่ อย่างใดอย่างหนึ่ง"))
        if username:
            password = data.get("new_password") or ""
            if not password:
                self.add_error("new_password", _("กรุณาตั้งรหัสผ่าน"))
            else:
                try:
                    password_validation.validate_password(password)
                except forms.ValidationError as exc:
                    self.add_error("new_password", exc)
        return data
