"""Staff side of queue booking: queues with their hours, closures, slots and bookings."""


from auditlog.registry import auditlog
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin.mixins import (
    ScopedInlineMixin,
    ScopedModelAdmin,
)

from ..models import (
    Booking,
    Closure,
    OpeningHours,
    Queue,
    Slot,
)

# --- queues -----------------------------------------------------------------------------------------------------


class OpeningHoursInline(ScopedInlineMixin, admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Queue)
class QueueAdmin(ScopedModelAdmin):
    list_display = ["name_th", "code", "letter", "department", "slot_minutes", "places_per_slot",
                    "booking_window_days", "is_active", "organization", "day_view"]
    list_filter = ["is_active"]
    search_fields = ["name_th", "code"]
    list_select_related = ["department__parent", "organization"]
    inlines = [OpeningHoursInline]

    @admin.display(description=_("คิววันนี้"))
    def day_view(self, obj):
        url = reverse("eservice:queue-staff", args=[obj.organization.slug]) + f"?queue={obj.code}"
        return format_html('<a href="{}">{}</a>', url, gettext("เปิด"))


@admin.register(Closure)
class ClosureAdmin(ScopedModelAdmin):
    list_display = ["date", "queue", "reason", "organization"]
    list_select_related = ["queue", "organization"]
    date_hierarchy = "date"


@admin.register(Slot)
class SlotAdmin(ScopedModelAdmin):
    list_display = ["queue", "start", "capacity", "booked", "is_closed"]
    list_filter = ["is_closed", "queue"]
    list_editable = ["is_closed"]
    readonly_fields = ["queue", "date", "start", "end", "booked"]
    list_select_related = ["queue"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False


@admin.register(Booking)
class BookingAdmin(ScopedModelAdmin):
    list_display = ["ticket", "date", "queue", "slot", "name", "phone", "status", "counter"]
    list_filter = ["status", "queue", "date"]
    search_fields = ["ticket", "phone", "name"]
    list_select_related = ["queue", "slot__queue"]
    readonly_fields = ["queue", "slot", "date", "number", "ticket", "name", "phone", "citizen_id_masked", "status",
                       "counter", "created_at", "checked_in_at", "called_at", "finished_at", "reminder_sent_at"]
    exclude = ["citizen_id_hash"]

    def has_add_permission(self, request):
        return False


auditlog.register(Queue)
auditlog.register(OpeningHours)
auditlog.register(Closure)
auditlog.register(Slot, include_fields=["is_closed", "capacity"])
auditlog.register(Booking, include_fields=["status", "counter"])
