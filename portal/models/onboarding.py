"""Onboarding: the national directory, invitations and the set-up wizard (portal.onboarding)."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models.organizations import AuditTaggedByOrganization, Organization, OrganizationOwned

DLA_CODE = RegexValidator(r"^\d{7}$", _("รหัส อปท. ต้องเป็นตัวเลข 7 หลัก"))


class DirectoryEntry(models.Model):
    """One local administrative organization in the national list of the Department of Local Administration
    (กรมส่งเสริมการปกครองท้องถิ่น), keyed by its 7-digit code. Imported from the department's CSV/XLSX
    (`manage.py import_dla_directory`, or the admin's upload page); an organization is invited from here."""

    code = models.CharField(_("รหัส อปท."), max_length=7, unique=True, validators=[DLA_CODE],
                            help_text=_("รหัส 7 หลักตามทะเบียนของกรมส่งเสริมการปกครองท้องถิ่น"))
    kind = models.CharField(_("ประเภท"), max_length=32, choices=Organization.Kind.choices)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200, help_text=_("ชื่อตามทะเบียน"))
    subdistrict = models.CharField(_("ตำบล"), max_length=100, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100)
    province = models.CharField(_("จังหวัด"), max_length=100)
    organization = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="directory_entry",
        verbose_name=_("องค์กรในระบบ"), help_text=_("ว่างจนกว่าจะเชิญองค์กรนี้เข้าระบบ"))
    updated_at = models.DateTimeField(_("ปรับปรุงเมื่อ"), auto_now=True)

    class Meta:
        verbose_name = _("ทะเบียน อปท.")
        verbose_name_plural = pgettext_lazy("plural", "ทะเบียน อปท.")
        ordering = ["province", "district", "name_th"]

    def __str__(self):
        return f"{self.name_th} ({self.code})"


class Invitation(OrganizationOwned):
    """An invitation to an organization's first administrator: a link sent by e-mail, good once, until it expires.
    Only a SHA-256 of the link's secret is kept; the link names the invitation by its UUID."""

    organization_related_name = "invitations"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("อีเมลผู้รับเชิญ"), help_text=_("ใช้เป็นชื่อผู้ใช้ของผู้ดูแลองค์กร"))
    token_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("ผู้เชิญ"))
    created_at = models.DateTimeField(_("เชิญเมื่อ"), auto_now_add=True)
    expires_at = models.DateTimeField(_("หมดอายุเมื่อ"))
    accepted_at = models.DateTimeField(_("ตอบรับเมื่อ"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("บัญชีที่ตอบรับ"))

    class Meta:
        verbose_name = _("คำเชิญผู้ดูแลองค์กร")
        verbose_name_plural = pgettext_lazy("plural", "คำเชิญผู้ดูแลองค์กร")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} · {self.organization}"


class OrganizationSetup(AuditTaggedByOrganization, models.Model):
    """Where the organization's own set-up wizard stands: the steps saved so far (coming back resumes at the first
    one not done), the services switched off on the home page, and when the clerk finished."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="setup",
                                        verbose_name=_("องค์กร"))
    steps_done = models.JSONField(_("ขั้นที่ทำแล้ว"), default=list, blank=True,
                                  help_text=_("ขั้นที่บันทึกหรือข้ามแล้ว"))
    steps_skipped = models.JSONField(_("ขั้นที่ข้าม"), default=list, blank=True,
                                     help_text=_("ขั้นที่ข้ามไว้ ทำภายหลังได้"))
    services_off = models.JSONField(_("บริการที่ปิด"), default=list, blank=True,
                                    help_text=_("ชื่อแอปของบริการที่ไม่แสดงบนหน้าแรกขององค์กร"))
    finished_at = models.DateTimeField(_("ตั้งค่าเสร็จเมื่อ"), null=True, blank=True)

    organization_path = "organization"

    class Meta:
        verbose_name = _("การตั้งค่าเริ่มต้นขององค์กร")
        verbose_name_plural = pgettext_lazy("plural", "การตั้งค่าเริ่มต้นขององค์กร")

    def __str__(self):
        return str(self.organization)
