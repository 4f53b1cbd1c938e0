"""Reading the audit log in tests: the rows a service wrote for one object."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def rows_for(obj, event: str | None = None):
    """The explicit service rows written for `obj` (newest first), optionally of one event."""
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk),
                                   additional_data__has_key="event")
    if event is not None:
        rows = rows.filter(additional_data__event=event)
    return rows.order_by("-timestamp", "-pk")
