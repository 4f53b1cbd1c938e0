"""Queue API (anonymous, throttled): free slots of a day, and booking one place."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from portal.api.openapi import ErrorSerializer
from portal.inputs.ratelimit import WindowThrottle, client_ip
from portal.models import Organization
from portal.selectors import service_is_off, services_off

from ...forms import normalize_phone
from ...models import Queue, Slot
from .. import selectors, services


class QueueReadThrottle(WindowThrottle):
    scope = "queue_read"

    def get_rate(self):
        return getattr(settings, "QUEUE_API_READ_RATE", "120/min")


class QueueBookingThrottle(WindowThrottle):
    scope = "queue_booking"

    def get_rate(self):
        return getattr(settings, "QUEUE_API_BOOKING_RATE", "20/min")


class SlotSerializer(serializers.ModelSerializer):
    queue = serializers.CharField(source="queue.code", help_text="รหัสคิว")
    remaining = serializers.IntegerField(help_text="จำนวนที่ว่าง")

    class Meta:
        model = Slot
        fields = ["id", "queue", "start", "end", "capacity", "remaining"]


class BookingRequestSerializer(serializers.Serializer):
    """What the booking takes (the schema); checked by `booking_input`."""

    slot = serializers.IntegerField(help_text="id ของช่วงเวลา")
    name = serializers.CharField(max_length=200, help_text="ชื่อผู้จอง")
    phone = serializers.CharField(max_length=30, help_text="เบอร์โทรศัพท์ 9–10 หลัก")


def booking_input(data) -> dict:
    """BookingRequestSerializer's fields checked by hand: a serializer builds and deep-copies its fields on every
    request, as much work as the rest of the booking on the path whose throughput matters. Field errors are a
    400 in DRF's shape ({"name": ["..."]})."""
    errors, clean = {}, {}
    slot = data.get("slot") if hasattr(data, "get") else None
    if isinstance(slot, str) and slot.strip().isdigit():
        slot = int(slot)
    if isinstance(slot, int) and not isinstance(slot, bool) and 0 < slot < 2**63:
        clean["slot"] = slot
    else:
        errors["slot"] = [_("กรุณาเลือกช่วงเวลา")]
    name = data.get("name") if hasattr(data, "get") else None
    if not isinstance(name, str) or not name.strip():
        errors["name"] = [_("กรุณากรอกชื่อ")]
    elif len(name) > 200:
        errors["name"] = [_("ชื่อยาวได้ไม่เกิน 200 ตัวอักษร")]
    else:
        clean["name"] = name.strip()
    phone = data.get("phone") if hasattr(data, "get") else None
    try:
        clean["phone"] = normalize_phone(phone) if isinstance(phone, str) and len(phone) <= 30 else ""
        if not clean["phone"]:
            raise ValidationError(_("กรุณากรอกเบอร์โทรศัพท์"))
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise DRFValidationError(errors)
    return clean


class BookingResponseSerializer(serializers.Serializer):
    ticket = serializers.CharField(help_text="เลขบัตรคิว เช่น ก-012")
    slot = serializers.IntegerField()
    start = serializers.DateTimeField()
    cancel_url = serializers.URLField(help_text="ลิงก์หน้ายืนยันยกเลิก/เลื่อนนัด")


@extend_schema(tags=["queue"], parameters=[
    OpenApiParameter("organization", str, required=True, description="slug ขององค์กร"),
    OpenApiParameter("date", dt.date, required=True, description="YYYY-MM-DD"),
    OpenApiParameter("queue", str, required=False, description="รหัสคิว"),
])
class SlotViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Slots of one day with their remaining places (materialised from the opening hours on first read)."""

    serializer_class = SlotSerializer
    public_read = True  # citizens' slot list of one organization (portal.checks)
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [QueueReadThrottle]
    filter_backends = []
    queryset = Slot.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        if any("\x00" in v for v in params.values()):
            raise DRFValidationError({"detail": "ห้ามมีอักขระ NUL"})
        slug, day_text = params.get("organization", ""), params.get("date", "")
        if not slug:
            raise DRFValidationError({"organization": "ต้องระบุ organization (slug ขององค์กร)"})
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError as exc:
            raise DRFValidationError({"date": "date ต้องเป็นรูปแบบ YYYY-MM-DD"}) from exc
        organization = Organization.objects.filter(slug=slug, is_active=True).first()
        if organization is None:
            raise DRFValidationError({"organization": "ไม่พบองค์กรนี้"})
        if service_is_off(organization.pk, "eservice"):
            raise NotFound("องค์กรนี้ไม่เปิดบริการจองคิวออนไลน์")
        queues = Queue.objects.filter(organization=organization, is_active=True).prefetch_related("hours")
        if params.get("queue"):
            queues = queues.filter(code=params["queue"])
        today = timezone.localdate()
        for queue in queues:
            if any(d == day and is_open for d, is_open in selectors.bookable_days(queue, today)):
                services.ensure_slots(queue=queue, day=day)
        return (Slot.objects.filter(queue__in=queues, date=day, is_closed=False).select_related("queue")
                .order_by("start", "queue__code"))


@extend_schema(tags=["queue"])
class BookingViewSet(viewsets.GenericViewSet):
    """Book one place in a slot; 409 when it is full, closed, past, beyond the window or already booked by this
    phone."""

    serializer_class = BookingRequestSerializer
    tenancy_global = "anonymous booking: one row created in the slot's own organization by services.book"
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [QueueBookingThrottle]
    # JSON only: no browsable-API renderer to negotiate on every booking.
    renderer_classes = [JSONRenderer]
    queryset = Slot.objects.none()

    # 400 (field errors), 429... come from portal.api.openapi like every operation's.
    @extend_schema(request=BookingRequestSerializer, responses={201: BookingResponseSerializer, 409: ErrorSerializer})
    def create(self, request):
        data = booking_input(request.data)
        if Slot.objects.filter(pk=data["slot"], queue__organization__in=services_off().get("eservice", ())).exists():
            raise NotFound("องค์กรนี้ไม่เปิดบริการจองคิวออนไลน์")
        try:
            # The client app shows the ticket and the cancel link it gets back; no confirmation SMS from here
            # (the day-before reminder still goes out through the outbox).
            booking = services.book(slot_id=data["slot"], name=data["name"], phone=data["phone"], confirm=False,
                                    channel="api", client=client_ip(request))
        except services.TooManyBookings as exc:
            return Response({"detail": exc.message}, status=status.HTTP_429_TOO_MANY_REQUESTS,
                            headers={"Retry-After": str(exc.retry_after)})
        except services.SlotUnavailable as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({
            "ticket": booking.ticket, "slot": booking.slot_id, "start": booking.slot.start,
            "cancel_url": request.build_absolute_uri(services.cancel_path(booking)),
        }, status=status.HTTP_201_CREATED)
