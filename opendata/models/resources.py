"""Resources: files (immutable versions) and links of a dataset, and the datastore holding the rows of tabular
resources so they can be queried."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import OrganizationScoped
from portal.outputs.files import private_storage, private_upload_to

from .catalogue import Dataset


class Resource(OrganizationScoped):
    """A file (uploaded, versioned) or a link in a dataset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources",
                                verbose_name=_("ชุดข้อมูล"), help_text=_("ชุดข้อมูลที่ทรัพยากรนี้สังกัด"))
    name = models.CharField(_("ชื่อทรัพยากร"), max_length=300, help_text=_("เช่น ข้อมูลปี 2568 (CSV)"))
    description = models.TextField(_("คำอธิบาย"), blank=True, help_text=_("รายละเอียดของไฟล์หรือลิงก์"))
    format = models.CharField(_("รูปแบบ"), max_length=20, blank=True,
                              help_text=_("CSV, XLSX, GeoJSON, JSON, PDF ... ตรวจจากเนื้อไฟล์เมื่ออัปโหลด"))
    url = models.URLField(_("ลิงก์"), max_length=1000, blank=True,
                          help_text=_("สำหรับทรัพยากรที่เป็นลิงก์ภายนอก; เว้นว่างเมื่ออัปโหลดไฟล์"))
    position = models.PositiveSmallIntegerField(_("ลำดับ"), default=0, help_text=_("ลำดับการแสดง"))
    created = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now, editable=False,
                                   help_text=_("เวลาที่สร้างทรัพยากร"))
    last_modified = models.DateTimeField(_("ปรับปรุงล่าสุด"), default=timezone.now, editable=False,
                                         help_text=_("เวลาของฉบับล่าสุด"))
    download_count = models.PositiveIntegerField(_("จำนวนดาวน์โหลด"), default=0, editable=False,
                                                 help_text=_("จำนวนครั้งที่ดาวน์โหลดทุกฉบับ"))
    datastore_active = models.BooleanField(_("อยู่ในคลังข้อมูลตาราง"), default=False, editable=False,
                                           help_text=_("แถวของไฟล์ถูกโหลดให้ค้นด้วย datastore_search ได้"))
    datastore_fields = models.JSONField(_("คอลัมน์ในคลังข้อมูลตาราง"), default=list, blank=True, editable=False,
                                        help_text=_("ชื่อและชนิดของแต่ละคอลัมน์"))
    datastore_error = models.CharField(_("ข้อผิดพลาดการโหลดตาราง"), max_length=500, blank=True, editable=False,
                                       help_text=_("เหตุที่ไฟล์โหลดเป็นตารางไม่ได้"))
    # Live datasets: the data dictionary of the feed (field, type, unit, description).
    data_dictionary = models.JSONField(_("พจนานุกรมข้อมูล"), default=list, blank=True, editable=False,
                                       help_text=_("ชื่อ ชนิด หน่วย และคำอธิบายของแต่ละคอลัมน์"))

    organization_path = "dataset__organization"

    class Meta:
        verbose_name = _("ทรัพยากร")
        verbose_name_plural = _("ทรัพยากร")
        ordering = ["dataset", "position", "created"]

    def __str__(self):
        return self.name

    @property
    def latest_version(self):
        cached = getattr(self, "_latest_version", None)
        if cached is None:
            cached = self.versions.order_by("-number").first()
            self._latest_version = cached
        return cached

    @property
    def url_type(self):
        return "upload" if not self.url else ""


class ResourceVersion(OrganizationScoped):
    """One uploaded file of a resource. Never changed once written: a new upload is a new version."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("ทรัพยากร"), help_text=_("ทรัพยากรของฉบับนี้"))
    number = models.PositiveIntegerField(_("ฉบับที่"), help_text=_("เริ่มที่ 1 เพิ่มขึ้นทุกครั้งที่อัปโหลด"))
    file = models.FileField(_("ไฟล์"), storage=private_storage, upload_to=private_upload_to("opendata"), max_length=300,
                            help_text=_("เก็บนอกพื้นที่สาธารณะ ดาวน์โหลดผ่านหน้าชุดข้อมูล"))
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255, help_text=_("ชื่อไฟล์ที่อัปโหลด"))
    mimetype = models.CharField(_("ชนิดไฟล์"), max_length=100, help_text=_("ตรวจจากเนื้อไฟล์"))
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"), help_text=_("ขนาดไฟล์"))
    sha256 = models.CharField(_("ค่าแฮช SHA-256"), max_length=64, help_text=_("ใช้ตรวจว่าไฟล์ไม่ถูกแก้"))
    created = models.DateTimeField(_("อัปโหลดเมื่อ"), default=timezone.now, editable=False,
                                   help_text=_("เวลาที่อัปโหลดฉบับนี้"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("ผู้อัปโหลด"),
                                   help_text=_("ว่างเมื่อระบบสร้างเอง"))

    organization_path = "resource__dataset__organization"

    class Meta:
        verbose_name = _("ฉบับของทรัพยากร")
        verbose_name_plural = _("ฉบับของทรัพยากร")
        ordering = ["resource", "-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="od_version_uniq")]

    def __str__(self):
        return f"{self.resource} #{self.number}"


class DatastoreRecord(OrganizationScoped):
    """One row of a tabular resource's latest version (CKAN DataStore), queried by datastore_search."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="records")
    row = models.PositiveIntegerField(help_text=_("ลำดับแถว เริ่มที่ 1"), verbose_name=_("แถวที่"))
    data = models.JSONField(verbose_name=_("ข้อมูลในแถว"), help_text=_("ค่าตามชื่อคอลัมน์"))

    organization_path = "resource__dataset__organization"

    class Meta:
        verbose_name = _("แถวในคลังข้อมูลตาราง")
        verbose_name_plural = _("แถวในคลังข้อมูลตาราง")
        ordering = ["resource", "row"]
        constraints = [models.UniqueConstraint(fields=["resource", "row"], name="od_record_uniq")]

    def __str__(self):
        return f"{self.resource_id} #{self.row}"
