"""Writes at the counter: staff check a citizen in, call the next ticket to a counter, and mark it served or not
come, each with its permission, locked row and registered audit event."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access.permissions import require
from portal.audit import trail as audit
from portal.audit.actions import AuditedAction

from ..models import Booking, BookingStatus, Queue


class _CounterAction(AuditedAction):
    """A counter staff member's step on one booking: the permission to change it, the locked row, the change and the
    registered event, in one transaction (portal.audit.actions)."""

    permission = "change"

    def __init__(self, booking: Booking, *, actor, now):
        super().__init__(booking, actor=actor)
        self.now = now

    def check(self) -> None:
        self.obj = Booking.objects.select_for_update().select_related("queue").get(pk=self.obj.pk)
        super().check()
        self.data = {"ticket": self.obj.ticket}


class CheckIn(_CounterAction):
    event = "eservice.booking.checked_in"

    def write(self):
        booking = self.obj
        if booking.status != BookingStatus.BOOKED:
            raise ValidationError(_("บัตรคิวนี้เช็กอินแล้วหรือไม่อยู่ในสถานะจอง"))
        if booking.date != timezone.localdate(self.now):
            raise ValidationError(_("บัตรคิวนี้ไม่ใช่ของวันนี้"))
        booking.status, booking.checked_in_at = BookingStatus.CHECKED_IN, self.now
        booking.save(update_fields=["status", "checked_in_at"])
        return {"status": [BookingStatus.BOOKED, booking.status]}


class Finish(_CounterAction):
    event = "eservice.booking.finished"

    def __init__(self, booking: Booking, *, actor, now, served: bool):
        super().__init__(booking, actor=actor, now=now)
        self.served = served

    def write(self):
        booking = self.obj
        allowed = (BookingStatus.CALLED, BookingStatus.CHECKED_IN) if self.served else (
            BookingStatus.BOOKED, BookingStatus.CALLED, BookingStatus.CHECKED_IN)
        if booking.status not in allowed:
            raise ValidationError(_("เปลี่ยนสถานะบัตรคิวนี้ไม่ได้"))
        previous = booking.status
        booking.status = BookingStatus.SERVED if self.served else BookingStatus.NO_SHOW
        booking.finished_at = self.now
        booking.save(update_fields=["status", "finished_at"])
        return {"status": [previous, booking.status]}


def check_in(*, booking: Booking, actor, now=None) -> Booking:
    return CheckIn(booking, actor=actor, now=now or timezone.now()).execute()


def call_next(*, queue: Queue, counter: int, actor, now=None) -> Booking | None:
    """The next checked-in ticket of the day goes to `counter`; the display shows it."""
    now = now or timezone.now()
    with transaction.atomic(), audit.acting(audit.person(actor)):
        require(actor, "change", queue)
        if not 1 <= int(counter) <= queue.counters:
            raise ValidationError(_("ไม่มีช่องบริการนี้"))
        booking = (Booking.objects.select_for_update(skip_locked=True)
                   .filter(queue=queue, date=timezone.localdate(now), status=BookingStatus.CHECKED_IN)
                   .order_by("number").first())
        if booking is None:
            return None
        booking.status, booking.counter, booking.called_at = BookingStatus.CALLED, int(counter), now
        booking.save(update_fields=["status", "counter", "called_at"])
        audit.record(booking, actor=actor, event="eservice.booking.called",
                     changes={"status": [BookingStatus.CHECKED_IN, booking.status]},
                     data={"ticket": booking.ticket, "counter": booking.counter})
    return booking


def finish(*, booking: Booking, served: bool, actor, now=None) -> Booking:
    return Finish(booking, actor=actor, now=now or timezone.now(), served=served).execute()
