"""What the live refresh knows per organization: for each model its feeds read, how often that organization's rows
changed (bumped after each committed write, portal.machinery.changes) and how far the last refresh got."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedSource(models.Model):
    """One organization's rows of one feed source model (e.g. "complaints.Complaint"). The organization's feeds
    reading it are refreshed when `version` moved past `refreshed`, or when the feeds reading it were declared
    differently (`definition`, a digest) since."""

    organization = models.ForeignKey("portal.Organization", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("องค์กร"), help_text=_("องค์กรเจ้าของข้อมูลต้นทาง"))
    source = models.CharField(_("ข้อมูลต้นทาง"), max_length=100,
                              help_text=_("ตารางที่ชุดข้อมูลอัตโนมัติอ่าน เช่น complaints.Complaint"))
    version = models.PositiveBigIntegerField(_("ครั้งที่เปลี่ยน"), default=0,
                                             help_text=_("นับเพิ่มทุกครั้งที่ข้อมูลต้นทางขององค์กรนี้เปลี่ยน"))
    refreshed = models.PositiveBigIntegerField(_("ปรับปรุงถึงครั้งที่"), default=0,
                                               help_text=_("ครั้งที่เปลี่ยนล่าสุดที่ชุดข้อมูลอัตโนมัติปรับปรุงตามแล้ว"))
    definition = models.CharField(_("รูปแบบชุดข้อมูล"), max_length=16, blank=True,
                                  help_text=_("รหัสย่อของนิยามชุดข้อมูลที่อ่านตารางนี้ ณ การปรับปรุงครั้งล่าสุด"))
    refreshed_at = models.DateTimeField(_("ปรับปรุงล่าสุดเมื่อ"), null=True, blank=True,
                                        help_text=_("เวลาที่ชุดข้อมูลอัตโนมัติอ่านตารางนี้ครั้งล่าสุด"))

    class Meta:
        verbose_name = _("ข้อมูลต้นทางของชุดข้อมูลอัตโนมัติ")
        verbose_name_plural = _("ข้อมูลต้นทางของชุดข้อมูลอัตโนมัติ")
        constraints = [models.UniqueConstraint(fields=["organization", "source"], name="od_feed_source_unique")]

    def __str__(self):
        return f"{self.organization_id}:{self.source} {self.refreshed}/{self.version}"
