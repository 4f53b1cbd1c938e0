"""Queue API (anonymous, throttled): free slots of a day, and booking one place."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from portal.models import Organization
from portal.openapi import ErrorSerializer
from portal.ratelimit import WindowThrottle

from .. import selectors, services
from ..forms import normalize_phone
from ..models import Queue, Slot


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
    slot = serializers.IntegerField(help_text="id ของช่วงเวลา")
    name = serializers.CharField(max_length=200, help_text="ชื่อผู้จอง")
    phone = serializers.CharField(max_length=30, help_text="เบอร์โทรศัพท์ 9–10 หลัก")

    def validate_name(self, value):
        if "\x00" in value or not value.strip():
            raise serializers.ValidationError("กรุณากรอกชื่อ")
        return value.strip()

    def validate_phone(self, value):
        try:
            return normalize_phone(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


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
    queryset = Slot.objects.none()

    # 400 (field errors), 429... come from portal.openapi like every operation's.
    @extend_schema(request=BookingRequestSerializer, responses={201: BookingResponseSerializer, 409: ErrorSerializer})
    def create(self, request):
        serializer = BookingRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            # The client app shows the ticket and the cancel link it gets back; no confirmation SMS from here
            # (the day-before reminder still goes out through the outbox).
            booking = services.book(slot_id=data["slot"], name=data["name"], phone=data["phone"], confirm=False)
        except services.SlotUnavailable as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        slug = booking.queue.organization.slug
        return Response({
            "ticket": booking.ticket, "slot": booking.slot_id, "start": booking.slot.start,
            "cancel_url": request.build_absolute_uri(reverse("eservice:cancel", args=[slug, booking.token])),
        }, status=status.HTTP_201_CREATED)
