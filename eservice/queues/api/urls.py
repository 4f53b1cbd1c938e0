"""Registers the Queue API on the shared router: /api/queue/slots/ and /api/queue/bookings/."""

from portal.api.viewsets import router

from .views import BookingViewSet, SlotViewSet

router.register("queue/slots", SlotViewSet, basename="queue-slot")
router.register("queue/bookings", BookingViewSet, basename="queue-booking")
