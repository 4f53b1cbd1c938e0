"""Open-data feeds of the tax service: aggregates only (no owner, no parcel), read through the selectors."""

from django.utils.translation import gettext_lazy as _

from portal.registry import DataFeed, FeedField

from . import selectors


def data_feeds() -> list[DataFeed]:
    return [DataFeed(
        name="tax-revenue-by-month",
        title=_("ภาษีท้องถิ่นที่ประเมินและรับชำระรายเดือน"),
        description=_("ยอดภาษีที่ออกใบแจ้งและยอดที่รับชำระ แยกตามประเภทภาษีและเดือน ไม่มีข้อมูลส่วนบุคคล"),
        fields=(
            FeedField("month", "month", description=_("เดือนที่ออกใบแจ้งหรือรับชำระ")),
            FeedField("tax_type", "text", description=_("land_building หรือ signboard")),
            FeedField("bills", "integer", description=_("จำนวนใบแจ้งที่ออก")),
            FeedField("billed", "numeric", unit="บาท", description=_("ยอดภาษีตามใบแจ้ง")),
            FeedField("payments", "integer", description=_("จำนวนรายการรับชำระ")),
            FeedField("collected", "numeric", unit="บาท", description=_("ยอดเงินที่รับชำระ")),
        ),
        rows=selectors.revenue_feed_rows,
        category="tax",
        tags=("ภาษี", "รายได้"),
        update_frequency_unit="วัน",  # thai-gdc value
        sources=("taxpay.Bill", "taxpay.Payment"),
    )]
