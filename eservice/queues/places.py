"""Taking one place in a slot, the heart of `services.book`: on PostgreSQL one prepared statement sent with the
phone's lock in one round trip; on any other database the same checks one statement at a time."""

import datetime as dt
import weakref

from django.db import connection
from django.db.models import Count, F, Q

from portal.audit import trail as audit

from ..models import (
    ACTIVE_BOOKING,
    Booking,
    DayCounter,
    Queue,
    Slot,
    ticket_label,
)


def take_place_orm(booking: Booking, now, client: str | None = None) -> bool:
    """Any database: the same checks as the PostgreSQL statement, one statement at a time (run inside atomic()).
    The transaction is the database's only writer from its start (SQLite's IMMEDIATE transactions, see
    portal.settings), so the phone's count cannot interleave with another booking. The queue is read again, not
    taken from the memo."""
    queue = (Queue.objects.filter(pk=booking.queue_id, is_active=True, organization__is_active=True)
             .values("lead_time_minutes", "letter", "max_per_phone_day", "max_per_phone_week").first())
    if queue is None or booking.slot.start < now + dt.timedelta(minutes=queue["lead_time_minutes"]):
        return False
    held = (Booking.objects.filter(queue_id=booking.queue_id, phone=booking.phone, status__in=ACTIVE_BOOKING,
                                   date__range=week_of(booking.date))
            .order_by().aggregate(day=Count("pk", filter=Q(date=booking.date)), week=Count("pk")))
    if held["day"] >= queue["max_per_phone_day"] or held["week"] >= queue["max_per_phone_week"]:
        return False
    taken = (Slot.objects.filter(pk=booking.slot_id, booked__lt=F("capacity"), is_closed=False)
             .update(booked=F("booked") + 1))
    if not taken:
        return False
    booking.number = next_number(booking.queue_id, booking.date)
    booking.ticket = ticket_label(queue["letter"], booking.number)
    booking.save(force_insert=True)
    return True


def next_number(queue_id: int, day: dt.date) -> int:
    """Take the next ticket number of the day: the UPDATE holds the counter's row lock until commit, so numbers
    are unique and without gaps (a rolled-back booking gives its number back)."""
    table = connection.ops.quote_name(DayCounter._meta.db_table)
    for _attempt in range(2):
        with connection.cursor() as cursor:
            # One statement (PostgreSQL and SQLite >= 3.35 both have RETURNING).
            cursor.execute(f"UPDATE {table} SET last_number = last_number + 1 WHERE queue_id = %s AND date = %s "
                           "RETURNING last_number", [queue_id, day])
            row = cursor.fetchone()
        if row:
            return row[0]
        DayCounter.objects.bulk_create([DayCounter(queue_id=queue_id, date=day)], ignore_conflicts=True)
    raise RuntimeError("day counter missing")


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _is_staff(user) -> bool:
    return user is not None and user.is_authenticated


_ACTIVE_SQL = ", ".join(f"'{status}'" for status in ACTIVE_BOOKING)  # literals: the partial index's own predicate

# The phone's bookings in the queue that day and week (the partial index eservice_booking_phone_held), the slot's
# conditional UPDATE with every refusal in its WHERE, the day counter's upsert (its row lock orders the numbers), the
# booking row and its audit row, as one statement.
_BOOK_SQL = f"""
WITH h AS (
    SELECT count(*) FILTER (WHERE b.date = %(day)s) AS day_n, count(*) AS week_n
    FROM eservice_booking AS b
    WHERE b.queue_id = %(queue)s AND b.phone = %(phone)s AND b.status IN ({_ACTIVE_SQL})
        AND b.date BETWEEN %(monday)s AND %(sunday)s
), s AS (
    UPDATE eservice_slot AS s SET booked = s.booked + 1
    FROM eservice_queue AS q, portal_organization AS o, h
    WHERE s.id = %(slot)s AND s.queue_id = %(queue)s AND s.date = %(day)s AND q.id = s.queue_id
        AND s.booked < s.capacity AND NOT s.is_closed AND q.is_active
        AND o.id = q.organization_id AND o.is_active
        AND s.start >= %(now)s + q.lead_time_minutes * interval '1 minute'
        AND h.day_n < q.max_per_phone_day AND h.week_n < q.max_per_phone_week
    RETURNING s.id, s.queue_id, s.date, q.letter, q.organization_id
), c AS (
    INSERT INTO eservice_daycounter AS d (queue_id, date, last_number)
    SELECT queue_id, date, 1 FROM s
    ON CONFLICT (queue_id, date) DO UPDATE SET last_number = d.last_number + 1
    RETURNING d.last_number
), b AS (
    INSERT INTO eservice_booking (queue_id, slot_id, date, number, ticket, name, phone, citizen_id_hash,
        citizen_id_masked, status, token, created_at, language)
    SELECT s.queue_id, s.id, s.date, c.last_number, s.letter || '-' || CASE WHEN c.last_number < 1000
            THEN lpad(c.last_number::text, 3, '0') ELSE c.last_number::text END,
        %(name)s, %(phone)s, %(id_hash)s, %(id_masked)s, %(status)s, %(token)s, %(now)s, %(language)s
    FROM s, c
    RETURNING id, number, ticket, date
), a AS (
    INSERT INTO auditlog_logentry (content_type_id, object_pk, object_id, object_repr, action, changes,
        changes_text, timestamp, actor_id, actor_email, remote_addr, remote_port, additional_data, cid)
    SELECT %(content_type)s, b.id::text, b.id, replace(%(object_repr)s, '{{ticket}}', b.ticket), %(action)s,
        %(changes)s::jsonb, '', %(now)s, %(actor_id)s, %(actor_email)s, %(remote_addr)s, %(remote_port)s,
        jsonb_build_object('organization_id', s.organization_id, 'event', 'eservice.booking.booked',
                           'actor', %(actor_name)s, 'ticket', b.ticket), %(cid)s
    FROM b, s WHERE %(audit)s
)
SELECT b.id, b.number, b.ticket FROM b
"""

BOOKED_EVENT = "eservice.booking.booked"  # registered in EserviceConfig.audit_events


def _audit_context(booking: Booking, client: str | None) -> dict:
    """The booking's audit row, as django-auditlog writes the row of a created booking, with the registered event:
    who booked (the officer as the row's user, or the citizen by channel in its data), the client address the
    caller gave (`client`: the view's trusted-proxy-aware address) and the request's correlation id. Nothing is read
    from auditlog's per-request context: it outlives its request."""
    import json

    from auditlog.cid import get_cid
    from auditlog.context import auditlog_disabled
    from django.contrib.contenttypes.models import ContentType

    user = booking.booked_by if _is_staff(booking.booked_by) else None
    return {"audit": not auditlog_disabled.get(), "content_type": ContentType.objects.get_for_model(Booking).pk,
            "action": audit.Action.CREATE, "actor_id": getattr(user, "pk", None),
            "actor_email": getattr(user, "email", None), "remote_addr": client, "remote_port": None,
            "cid": get_cid(), "actor_name": audit.actor_name(booking.booked_by),
            "changes": json.dumps({"status": ["None", booking.status]})}


# The statement is prepared once per database connection (planning it cost as much as running it). Prepared
# statements live with the server session, so a pooler in transaction mode in front of PostgreSQL would not do.
_BOOK_PARAMS = {"slot": "bigint", "queue": "bigint", "day": "date", "monday": "date", "sunday": "date",
                "now": "timestamptz", "name": "text", "phone": "text", "id_hash": "text",
                "id_masked": "text", "status": "text", "token": "text", "language": "text", "content_type": "integer",
                "object_repr": "text", "action": "smallint", "changes": "jsonb", "actor_id": "integer",
                "actor_email": "text", "remote_addr": "inet", "remote_port": "integer", "cid": "text",
                "audit": "boolean", "actor_name": "text"}
_prepared_on = weakref.WeakSet()
# pg_advisory_xact_lock(key1, key2): the first key names e-service's phone locks among the installation's.
_PHONE_LOCK = 0x65737663


def _prepare_sql() -> str:
    sql = _BOOK_SQL
    for number, name in enumerate(_BOOK_PARAMS, start=1):
        sql = sql.replace(f"%({name})s", f"${number}")
    return f"PREPARE eservice_book_v2 ({', '.join(_BOOK_PARAMS.values())}) AS {sql}"


def take_place_postgresql(booking: Booking, now, client: str | None = None) -> bool:
    monday, sunday = week_of(booking.date)
    params = {
        "slot": booking.slot_id, "queue": booking.queue_id, "day": booking.date, "monday": monday, "sunday": sunday,
        "now": now, "name": booking.name, "phone": booking.phone,
        "id_hash": booking.citizen_id_hash, "id_masked": booking.citizen_id_masked, "status": booking.status,
        "token": booking.token, "language": booking.language, **_audit_context(booking, client),
        # str(booking) as auditlog would write it, but for the ticket, which the statement hands out.
        "object_repr": str(Booking(ticket="{ticket}", date=booking.date))}
    with connection.cursor() as cursor:
        raw = connection.connection
        if raw not in _prepared_on:
            cursor.execute(_prepare_sql())  # kept by the session even if this transaction rolls back
            _prepared_on.add(raw)
        # Two statements in one message, one round trip: outside a transaction PostgreSQL runs them as one implicit
        # transaction, so the phone's lock is held until the booking is committed, and the booking's statement,
        # started once the lock is granted, sees every booking of that phone committed before.
        cursor.execute(f"SELECT pg_advisory_xact_lock(%s, hashtext(%s)); "
                       f"EXECUTE eservice_book_v2 ({', '.join(['%s'] * len(_BOOK_PARAMS))})",
                       [_PHONE_LOCK, booking.phone, *(params[name] for name in _BOOK_PARAMS)])
        row = cursor.fetchone()
    if row is None:
        return False
    booking.pk, booking.number, booking.ticket = row
    booking._state.adding, booking._state.db = False, connection.alias
    booking.booked_by = None  # named on the statement's audit row
    return True
