"""Open-data feeds of the e-services: aggregates only (no personal data), read from the two domains' rows."""

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from portal.registry import DataFeed, FeedField

from .models import (
    Booking,
    BookingStatus,
    ServiceRequest,
)

# --- open-data feeds ------------------------------------------------------------------------------------------------

def requests_by_service_month(organization):
    rows = (ServiceRequest.objects.filter(organization=organization).annotate(month=TruncMonth("created_at"))
            .values("service_type__code", "service_type__name_th", "month").annotate(requests=Count("pk"))
            .order_by("month", "service_type__code"))
    for row in rows:
        yield {"service_code": row["service_type__code"], "service_name": row["service_type__name_th"],
               "month": row["month"].strftime("%Y-%m") if row["month"] else "", "requests": row["requests"]}


def bookings_per_day(organization):
    rows = (Booking.objects.filter(queue__organization=organization)
            .values("queue__code", "queue__name_th", "date")
            .annotate(bookings=Count("pk"), served=Count("pk", filter=Q(status=BookingStatus.SERVED)))
            .order_by("date", "queue__code"))
    for row in rows:
        yield {"queue_code": row["queue__code"], "queue_name": row["queue__name_th"], "date": row["date"].isoformat(),
               "bookings": row["bookings"], "served": row["served"]}


def data_feeds() -> list[DataFeed]:
    return [
        DataFeed(
            name="eservice-requests-by-service-month", title=_("คำร้องขอรับบริการออนไลน์ รายบริการรายเดือน"),
            description=_("จำนวนคำร้องที่ยื่นต่อเดือน แยกตามประเภทบริการ"), category="services",
            tags=("e-service", "คำร้อง"), app_label="eservice", rows=requests_by_service_month,
            sources=("eservice.ServiceRequest", "eservice.ServiceType"),
            fields=(FeedField("service_code", "text", description=_("รหัสบริการ")),
                    FeedField("service_name", "text", description=_("ชื่อบริการ")),
                    FeedField("month", "month", description=_("เดือน")),
                    FeedField("requests", "integer", unit=_("คำร้อง"), description=_("จำนวนคำร้อง")))),
        DataFeed(
            name="eservice-queue-bookings-per-day", title=_("การจองคิวออนไลน์ รายวัน"),
            description=_("จำนวนการจองคิวและผู้รับบริการต่อวัน แยกตามคิว"), category="services",
            tags=("คิว", "booking"), app_label="eservice", rows=bookings_per_day,
            sources=("eservice.Booking", "eservice.Queue"),
            fields=(FeedField("queue_code", "text", description=_("รหัสคิว")),
                    FeedField("queue_name", "text", description=_("ชื่อคิว")),
                    FeedField("date", "date", description=_("วันที่")),
                    FeedField("bookings", "integer", unit=_("ราย"), description=_("จำนวนการจอง")),
                    FeedField("served", "integer", unit=_("ราย"), description=_("จำนวนที่รับบริการแล้ว")))),
    ]
