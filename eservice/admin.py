"""The e-service staff pages, kept with their domains (eservice.requests.admin, eservice.requests.builder.admin,
eservice.queues.admin); Django's admin finds them through this module."""

from .queues.admin import BookingAdmin, ClosureAdmin, QueueAdmin, SlotAdmin  # noqa: F401
from .requests.admin import EXPORT_HEADER, DocumentRequestAdmin, FormVersionAdmin, ServiceRequestAdmin, ServiceTypeAdmin  # noqa: F401
