"""Open-data feeds of the complaint service: aggregates only, read through the selectors. Public categories only:
corruption reports and categories kept off the public pages never appear in them."""

from django.utils.translation import gettext_lazy as _

from portal.registry import DataFeed, FeedField

from . import selectors

MONTH = FeedField("month", "month", description=_("เดือนที่รับเรื่อง (ปี ค.ศ.-เดือน)"))
CATEGORY_CODE = FeedField("category_code", "text", description=_("รหัสประเภทเรื่อง"))
CATEGORY = FeedField("category", "text", description=_("ประเภทเรื่องร้องเรียน"))
RECEIVED = FeedField("received", "integer", unit=_("เรื่อง"), description=_("จำนวนเรื่องที่รับ"))
RESOLVED = FeedField("resolved", "integer", unit=_("เรื่อง"), description=_("จำนวนที่แก้ไขเสร็จแล้ว"))
# What the feeds read: the complaints, and their categories (code, name, kept off the public pages or not).
SOURCES = ("complaints.Complaint", "complaints.Category")
OPEN = FeedField("open", "integer", unit=_("เรื่อง"), description=_("จำนวนที่ยังไม่แล้วเสร็จ"))


def data_feeds() -> list[DataFeed]:
    return [
        DataFeed(
            name="complaints-by-category-month",
            title=_("สถิติเรื่องร้องเรียนรายเดือนตามประเภท"),
            description=_("จำนวนเรื่องร้องเรียนที่รับในแต่ละเดือน แยกตามประเภท พร้อมจำนวนที่แก้ไขเสร็จและยังค้างอยู่ "
                          "ไม่รวมเรื่องร้องเรียนการทุจริต ไม่มีข้อมูลส่วนบุคคล"),
            fields=(MONTH, CATEGORY_CODE, CATEGORY, RECEIVED, RESOLVED, OPEN),
            rows=selectors.feed_by_category_month,
            category="complaints", tags=("ร้องเรียน", "สถิติ"), app_label="complaints", sources=SOURCES,
        ),
        DataFeed(
            name="complaints-by-village",
            title=_("สถิติเรื่องร้องเรียนตามหมู่บ้าน"),
            description=_("จำนวนเรื่องร้องเรียนแยกตามหมู่บ้าน/หมู่ที่ ไม่รวมเรื่องร้องเรียนการทุจริต ไม่มีข้อมูลส่วนบุคคล"),
            fields=(FeedField("village", "text", description=_("หมู่บ้านหรือหมู่ที่ตามที่ผู้แจ้งระบุ")),
                    RECEIVED, RESOLVED, OPEN),
            rows=selectors.feed_by_village,
            category="complaints", tags=("ร้องเรียน", "หมู่บ้าน"), app_label="complaints", sources=SOURCES,
        ),
        DataFeed(
            name="complaints-handling-time",
            title=_("ระยะเวลาแก้ไขเรื่องร้องเรียนและการแก้ไขทันกำหนด"),
            description=_("เรื่องที่แก้ไขเสร็จในแต่ละเดือน แยกตามประเภท ระยะเวลาเฉลี่ย และร้อยละที่เสร็จทันกำหนด (SLA)"),
            fields=(FeedField("month", "month", description=_("เดือนที่แก้ไขเสร็จ (ปี ค.ศ.-เดือน)")), CATEGORY_CODE,
                    CATEGORY, RESOLVED,
                    FeedField("average_days", "numeric", unit=_("วัน"),
                              description=_("เวลาเฉลี่ยตั้งแต่รับเรื่องจนแก้ไขเสร็จ")),
                    FeedField("with_sla", "integer", unit=_("เรื่อง"), description=_("จำนวนที่มีกำหนดเสร็จ")),
                    FeedField("within_sla", "integer", unit=_("เรื่อง"), description=_("จำนวนที่เสร็จทันกำหนด")),
                    FeedField("sla_compliance_percent", "numeric", unit=_("ร้อยละ"),
                              description=_("ร้อยละที่เสร็จทันกำหนด"))),
            rows=selectors.feed_handling_time,
            category="complaints", tags=("ร้องเรียน", "SLA"), app_label="complaints", sources=SOURCES,
        ),
    ]
