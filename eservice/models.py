"""The e-service app's models, kept in its two domains (eservice.requests.models, eservice.queues.models) under the
one app label `eservice`: tables and migrations are those of a single app."""

from .names import new_token  # noqa: F401  (the migrations name it as eservice.models.new_token)
from .queues.models import (  # noqa: F401
    ACTIVE_BOOKING,
    Booking,
    BookingStatus,
    Closure,
    DayCounter,
    OpeningHours,
    Queue,
    Slot,
    ticket_label,
)
from .requests.models import (  # noqa: F401
    DocumentRequest,
    FieldKind,
    FormField,
    FormVersion,
    RequestDocument,
    RequestEvent,
    RequiredDocument,
    ServiceRequest,
    ServiceType,
    choice_lines,
    shown_choices,
)
