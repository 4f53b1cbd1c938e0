"""An organization's own host names, its departments and its staff's roles."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import thai
from portal.access.roles import Role
from portal.models.organizations import OrganizationOwned

# A DNS name as a citizen types it: labels of letters, digits and hyphens, at least one dot, no port.
HOST_NAME = RegexValidator(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$",
                           _("ชื่อโดเมนไม่ถูกต้อง ใช้ตัวอักษรอังกฤษพิมพ์เล็ก ตัวเลข ขีด และจุด เช่น www.khamyai.go.th"))


class OrganizationHost(OrganizationOwned):
    """A host name of the organization's own (e.g. www.khamyai.go.th): its pages are served there without the
    /<slug>/ prefix (portal.web.hosts), and the host is accepted as if listed in ALLOWED_HOSTS."""

    organization_related_name = "hosts"
    host = models.CharField(_("ชื่อโดเมน"), max_length=253, unique=True, validators=[HOST_NAME],
                            help_text=_("เช่น www.khamyai.go.th ไม่ต้องใส่ https:// ให้ชี้ DNS มาที่เครื่องนี้ก่อน"))
    created_at = models.DateTimeField(_("เพิ่มเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("โดเมนขององค์กร")
        verbose_name_plural = pgettext_lazy("plural", "โดเมนขององค์กร")
        ordering = ["host"]

    def __str__(self):
        return self.host

    def save(self, *args, **kwargs):
        self.host = self.host.strip().lower().rstrip(".")
        super().save(*args, **kwargs)

    def clean(self):
        self.host = (self.host or "").strip().lower().rstrip(".")


class Department(OrganizationOwned):
    organization_related_name = "departments"
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("สังกัด"), help_text=_("เช่น งานนิติการ สังกัดสำนักปลัด"),
    )
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    code = models.SlugField(_("รหัส"), max_length=40, help_text=_("เช่น clerk, finance"))

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = pgettext_lazy("plural", "หน่วยงาน")
        ordering = ["organization", "name_th"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="uniq_department_code")]

    def __str__(self):
        return self.name_th if not self.parent_id else f"{self.parent.name_th} › {self.name_th}"

    @property
    def name(self):
        return thai.localized(self)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.organization_id != self.organization_id:
            raise ValidationError({"parent": _("หน่วยงานแม่ต้องอยู่ในองค์กรเดียวกัน")})


class Membership(OrganizationOwned):
    """A staff user's role in one organization; a user may hold several roles in several organizations."""

    organization_related_name = "memberships"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("ผู้ใช้"))
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   verbose_name=_("หน่วยงาน"),
                                   help_text=_("สำหรับเจ้าหน้าที่: หน่วยงานที่สังกัด"))

    class Meta:
        verbose_name = _("สิทธิ์เจ้าหน้าที่")
        verbose_name_plural = pgettext_lazy("plural", "สิทธิ์เจ้าหน้าที่")
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"], name="uniq_membership_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("หน่วยงานต้องอยู่ในองค์กรเดียวกัน")})
