import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from eservice.models import Booking, BookingStatus, Closure, Slot
from eservice.queues import counter, selectors, services
from portal.models import Holiday, Notification, Role
from tests.audit import rows_for
from tests.portal.factories import staff

from .factories import QueueFactory, future_slot

pytestmark = pytest.mark.django_db


def test_bookable_days_skip_weekends_holidays_and_closures(org):
    queue = QueueFactory(organization=org, hours=False)
    from eservice.models import OpeningHours

    for d in range(5):
        OpeningHours.objects.create(queue=queue, weekday=d, opens=dt.time(8, 30), closes=dt.time(12, 0))
    monday = dt.date(2026, 1, 5)
    Holiday.objects.create(date=dt.date(2026, 1, 7), name="หยุด")
    Closure.objects.create(organization=org, queue=queue, date=dt.date(2026, 1, 8), reason="อบรม")
    days = selectors.bookable_days(queue, monday)
    open_days = [d for d, is_open in days if is_open]
    assert len(open_days) == 14
    assert dt.date(2026, 1, 10) not in [d for d, _ in days]  # Saturday not listed at all
    assert (dt.date(2026, 1, 7), False) in days and (dt.date(2026, 1, 8), False) in days
    assert services.ensure_slots(queue=queue, day=dt.date(2026, 1, 7)) == []
    assert len(services.ensure_slots(queue=queue, day=monday)) == 7  # 08:30-12:00, 30 minutes


def test_booking_numbers_capacity_and_twice_by_phone(org):
    queue = QueueFactory(organization=org, places_per_slot=2)
    slot = future_slot(queue)
    first = services.book(slot_id=slot.pk, name="ก", phone="0810000001")
    assert first.ticket == "ก-001"
    with pytest.raises(services.SlotUnavailable, match="จองช่วงเวลานี้ไว้แล้ว"):
        services.book(slot_id=slot.pk, name="ก", phone="0810000001")
    second = services.book(slot_id=slot.pk, name="ข", phone="0810000002")
    assert second.ticket == "ก-002"
    with pytest.raises(services.SlotUnavailable, match="เต็ม"):
        services.book(slot_id=slot.pk, name="ค", phone="0810000003")
    other_slot = future_slot(queue, hour=10)
    assert services.book(slot_id=other_slot.pk, name="ค", phone="0810000003").number == 3
    slot.refresh_from_db()
    assert slot.booked == 2
    assert Notification.objects.filter(event="eservice_booked").count() == 3


def test_booking_refused_in_past_closed_and_beyond_window(org):
    queue = QueueFactory(organization=org, booking_window_days=2)
    slot = future_slot(queue, days=1)
    later = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(services.SlotUnavailable, match="ผ่านไปแล้ว"):
        services.book(slot_id=slot.pk, name="ก", phone="0810000001", now=later)
    Closure.objects.create(organization=org, date=slot.date, reason="ปิด")
    with pytest.raises(services.SlotUnavailable, match="ปิดให้บริการ"):
        services.book(slot_id=slot.pk, name="ก", phone="0810000001")
    far = Slot.objects.create(queue=queue, date=timezone.localdate() + dt.timedelta(days=20),
                              start=timezone.now() + dt.timedelta(days=20),
                              end=timezone.now() + dt.timedelta(days=20, minutes=30), capacity=2)
    with pytest.raises(services.SlotUnavailable, match="ไม่เกิน 2 วันทำการ"):
        services.book(slot_id=far.pk, name="ก", phone="0810000001")
    assert not Booking.objects.exists()


def test_web_booking_ticket_and_confirmed_cancel(client, org):
    queue = QueueFactory(organization=org)
    slot = future_slot(queue)
    day_url = reverse("eservice:queue-slots", args=[org.slug, queue.code, slot.date.isoformat()])
    page = client.get(day_url).content.decode()
    assert "ว่าง 2 ที่" in page
    bad = client.post(day_url, {"slot": slot.pk, "name": "สมศรี", "phone": "123"})
    assert bad.status_code == 400 and "เบอร์โทรศัพท์ไม่ถูกต้อง" in bad.content.decode()
    assert "สมศรี" in bad.content.decode()
    response = client.post(day_url, {"slot": slot.pk, "name": "สมศรี", "phone": "๐๘๙ ๑๒๓ ๔๕๖๗"})
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.phone == "0891234567"
    ticket = client.get(response["Location"]).content.decode()
    assert "ก-001" in ticket and "data:image/png;base64," in ticket
    cancel_url = reverse("eservice:cancel", args=[org.slug, booking.token])
    # A GET (a link scanner, a preview) only shows the confirmation.
    assert "ยืนยันยกเลิก" in client.get(cancel_url).content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert client.get(reverse("eservice:cancel", args=[org.slug, booking.token + "x"])).status_code == 404
    assert client.post(cancel_url).status_code == 302
    booking.refresh_from_db()
    slot.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and slot.booked == 0
    assert client.post(cancel_url).status_code == 409


def test_closed_day_page_is_4xx(client, org):
    queue = QueueFactory(organization=org)
    day = timezone.localdate() + dt.timedelta(days=2)
    Closure.objects.create(organization=org, date=day, reason="ปิดปรับปรุง")
    response = client.get(reverse("eservice:queue-slots", args=[org.slug, queue.code, day.isoformat()]))
    assert response.status_code == 409 and "ไม่เปิดให้จอง" in response.content.decode()
    past = timezone.localdate() - dt.timedelta(days=2)
    assert client.get(reverse("eservice:queue-slots", args=[org.slug, queue.code, past.isoformat()])).status_code == 404
    assert client.get(reverse("eservice:queue-slots", args=[org.slug, queue.code, "2026-02-30"])).status_code == 404


def test_cancel_after_start_is_refused(org):
    queue = QueueFactory(organization=org)
    slot = future_slot(queue)
    booking = services.book(slot_id=slot.pk, name="ก", phone="0810000001")
    with pytest.raises(services.SlotUnavailable, match="เลยเวลานัด"):
        services.cancel_booking(token=booking.token, now=slot.start + dt.timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        services.cancel_booking(token="tampered")


def test_move_keeps_old_booking_when_new_slot_is_full(org):
    queue = QueueFactory(organization=org, places_per_slot=1)
    nine, ten = future_slot(queue), future_slot(queue, hour=10)
    booking = services.book(slot_id=nine.pk, name="ก", phone="0810000001")
    services.book(slot_id=ten.pk, name="ข", phone="0810000002")
    with pytest.raises(services.SlotUnavailable):
        services.move_booking(token=booking.token, slot_id=ten.pk)
    booking.refresh_from_db()
    nine.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and nine.booked == 1
    eleven = future_slot(queue, hour=11)
    moved = services.move_booking(token=booking.token, slot_id=eleven.pk)
    booking.refresh_from_db()
    nine.refresh_from_db()
    # Moved in place: the same row and token, now in the new slot.
    assert moved.pk == booking.pk and booking.status == BookingStatus.BOOKED and booking.slot_id == eleven.pk
    assert nine.booked == 0


def test_staff_check_in_call_next_display(client, org, other_org):
    queue = QueueFactory(organization=org, lead_time_minutes=0)
    now = timezone.now()
    today = timezone.localdate()
    slot = Slot.objects.create(queue=queue, date=today, start=now + dt.timedelta(hours=1),
                               end=now + dt.timedelta(hours=1, minutes=30), capacity=5)
    with mock.patch("eservice.queues.selectors.is_open_day", return_value=True):
        a = services.book(slot_id=slot.pk, name="ก", phone="0810000001")
        b = services.book(slot_id=slot.pk, name="ข", phone="0810000002")
    officer = staff(org, Role.OFFICER)
    outsider = staff(other_org, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        counter.check_in(booking=a, actor=outsider)
    client.force_login(officer)
    checkin = reverse("eservice:queue-checkin", args=[org.slug, b.token])
    assert "ยืนยันเช็กอิน" in client.get(checkin).content.decode()
    assert Booking.objects.get(pk=b.pk).status == BookingStatus.BOOKED  # GET changes nothing
    client.post(checkin)
    staff_url = reverse("eservice:queue-staff", args=[org.slug])
    client.post(staff_url, {"queue": queue.code, "booking": a.pk, "action": "checkin"})
    client.post(staff_url, {"queue": queue.code, "action": "call", "counter": "2"})
    a.refresh_from_db()
    assert a.status == BookingStatus.CALLED and a.counter == 2  # lowest number first
    display = client.get(reverse("eservice:queue-display", args=[org.slug])).content.decode()
    assert "ก-001" in display and "ช่อง 2" in display and "eservice/display.js" in display  # refreshes itself
    part = client.get(reverse("eservice:queue-display", args=[org.slug]), {"part": "screen"}).content.decode()
    assert "ก-001" in part and "<html" not in part and "site-header" not in display
    with pytest.raises(ValidationError):
        counter.call_next(queue=queue, counter=9, actor=officer)
    client.force_login(outsider)
    assert client.get(staff_url).status_code == 403


def test_reminders_go_once_through_the_outbox(org):
    queue = QueueFactory(organization=org)
    slot = future_slot(queue, days=1)
    services.book(slot_id=slot.pk, name="ก", phone="0810000001")
    later = future_slot(queue, days=3)
    services.book(slot_id=later.pk, name="ข", phone="0810000002")
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    reminder = Notification.objects.get(event="eservice_queue_reminder")
    assert reminder.recipient == "0810000001" and "ก-001" in reminder.body


def test_the_reminder_task_names_itself_on_each_booking_it_reminds(org):
    from eservice.tasks import queue_reminders

    booking = services.book(slot_id=future_slot(QueueFactory(organization=org), days=1).pk, name="ก",
                            phone="0810000001")
    assert queue_reminders() == 1
    row = rows_for(booking, "eservice.booking.reminded").get()
    assert row.additional_data["actor"] == "system:task:eservice.queue_reminders" and row.actor is None


def test_booking_rechecks_rows_changed_behind_the_slot_memo(org):
    """The booking itself refuses a slot or queue closed, or a lead time raised, after the slot was memoised (by a
    booking just before), even when the change was written without the signals that forget the memo."""
    from eservice.models import Queue

    queue = QueueFactory(organization=org, places_per_slot=5)
    slot = future_slot(queue)
    changes = [
        (Queue, {"lead_time_minutes": 60 * 24 * 30}, {"lead_time_minutes": 0}, "ล่วงหน้าอย่างน้อย"),
        (Slot, {"is_closed": True}, {"is_closed": False}, "ปิดให้บริการ"),
        (Queue, {"is_active": False}, {"is_active": True}, "ปิดให้บริการ"),
    ]
    for n, (model, change, undo, message) in enumerate(changes):
        services.book(slot_id=slot.pk, name="ก", phone=f"08100000{n}0")  # memoises the slot
        pk = queue.pk if model is Queue else slot.pk
        model.objects.filter(pk=pk).update(**change)
        with pytest.raises(services.SlotUnavailable, match=message):
            services.book(slot_id=slot.pk, name="ข", phone=f"08100000{n}1")
        model.objects.filter(pk=pk).update(**undo)
    slot.refresh_from_db()
    assert slot.booked == 3 == Booking.objects.count()


def test_ticket_numbers_past_999_and_a_missing_day_counter(org):
    from eservice.models import DayCounter, ticket_label

    queue = QueueFactory(organization=org, places_per_slot=5)
    slot = future_slot(queue)
    DayCounter.objects.filter(queue=queue, date=slot.date).update(last_number=999)
    assert services.book(slot_id=slot.pk, name="ก", phone="0810000001").ticket == ticket_label("ก", 1000) == "ก-1000"
    assert Booking.objects.get().ticket == "ก-1000"
    # A slot made by hand (not by ensure_slots) has no counter for its day yet: the first booking starts it at 1.
    start = slot.start + dt.timedelta(days=1)
    other_day = Slot.objects.create(queue=queue, date=slot.date + dt.timedelta(days=1), start=start,
                                    end=start + dt.timedelta(minutes=30), capacity=2)
    assert not DayCounter.objects.filter(queue=queue, date=other_day.date).exists()
    assert services.book(slot_id=other_day.pk, name="ข", phone="0810000002").ticket == "ก-001"


def test_booking_audit_row_names_the_organization_the_address_and_the_staff_member(client, org):
    """The booking's audit row (written by the booking statement on PostgreSQL) is the row django-auditlog writes
    itself for a created booking, with the registered event: organization tag, client address, and who booked (the
    citizen by channel, or the staff member filing at the counter)."""
    from auditlog.models import LogEntry
    from rest_framework.test import APIClient

    queue = QueueFactory(organization=org, places_per_slot=5)
    slot = future_slot(queue)
    created = APIClient().post("/api/queue/bookings/", {"slot": slot.pk, "name": "สมชาย", "phone": "0812345678"},
                               format="json", REMOTE_ADDR="203.0.113.7")
    assert created.status_code == 201
    booking = Booking.objects.get()
    entry = LogEntry.objects.get_for_object(booking).get()
    assert (entry.action, entry.changes, entry.object_repr) == (LogEntry.Action.CREATE,
                                                                 {"status": ["None", "booked"]}, str(booking))
    assert entry.additional_data == {"organization_id": org.pk, "event": "eservice.booking.booked",
                                     "actor": "citizen:api", "ticket": booking.ticket}
    assert entry.remote_addr == "203.0.113.7" and entry.actor is None
    officer = staff(org, Role.OFFICER)
    client.force_login(officer)
    day_url = reverse("eservice:queue-slots", args=[org.slug, queue.code, slot.date.isoformat()])
    assert client.post(day_url, {"slot": slot.pk, "name": "สมศรี", "phone": "0891234567"}).status_code == 302
    at_counter = Booking.objects.get(phone="0891234567")
    entry = LogEntry.objects.get_for_object(at_counter).get()
    assert entry.actor == officer and entry.additional_data == {
        "organization_id": org.pk, "event": "eservice.booking.booked", "actor": officer.get_username(),
        "ticket": at_counter.ticket}


def test_check_in_and_staff_pages_show_buddhist_era_years(client, org):
    """Both staff pages name the day with its BE year (one showed "Dec. 6, 2026")."""
    from portal import thai

    queue = QueueFactory(organization=org, lead_time_minutes=0)
    now = timezone.now()
    today = timezone.localdate()
    slot = Slot.objects.create(queue=queue, date=today, start=now + dt.timedelta(hours=1),
                               end=now + dt.timedelta(hours=1, minutes=30), capacity=5)
    with mock.patch("eservice.queues.selectors.is_open_day", return_value=True):
        booking = services.book(slot_id=slot.pk, name="ก", phone="0810000001")
    client.force_login(staff(org, Role.OFFICER))
    be, ce = str(thai.be_year(today.year)), str(today.year)
    for url in (reverse("eservice:queue-checkin", args=[org.slug, booking.token]),
                reverse("eservice:queue-staff", args=[org.slug])):
        page = client.get(url).content.decode()
        main = page[page.index("<main"):page.index("</main>")]
        assert be in main and ce not in main, url


def test_queue_staff_page_asks_before_no_show_and_keeps_messages_out_of_the_url(client, org):
    queue = QueueFactory(organization=org, lead_time_minutes=0)
    now = timezone.now()
    slot = Slot.objects.create(queue=queue, date=timezone.localdate(), start=now + dt.timedelta(hours=1),
                               end=now + dt.timedelta(hours=1, minutes=30), capacity=5)
    with mock.patch("eservice.queues.selectors.is_open_day", return_value=True):
        booking = services.book(slot_id=slot.pk, name="สมชาย", phone="0810000001")
    client.force_login(staff(org, Role.OFFICER))
    staff_url = reverse("eservice:queue-staff", args=[org.slug])
    page = client.get(staff_url + "?msg=" + "โอนเงินมาที่บัญชี 123").content.decode()
    assert "โอนเงินมาที่บัญชี" not in page  # a link cannot put words on the staff page
    assert '<label for="queue-select">' in page and 'id="queue-select"' in page
    # "ไม่มา" first asks; nothing changes until the confirmation is sent.
    asked = client.post(staff_url, {"queue": queue.code, "booking": booking.pk, "action": "no_show"})
    assert asked.status_code == 200 and "ยืนยันว่าคิว ก-001 (สมชาย) ไม่มาตามนัด" in asked.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    done = client.post(staff_url, {"queue": queue.code, "booking": booking.pk, "action": "no_show", "confirmed": "1"},
                       follow=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW and "msg=" not in done.redirect_chain[-1][0]
    assert "บันทึกแล้ว" in done.content.decode()


def test_the_reminder_beat_fans_out_to_the_organizations_with_reminders_due(org):
    """One small task per organization with a booking for tomorrow not reminded yet, spread over the period; none
    for an organization with nothing due; each task reminds its own organization's bookings only, once."""
    from eservice import tasks
    from tests.portal.factories import OrganizationFactory

    second, quiet = OrganizationFactory(), OrganizationFactory()
    services.book(slot_id=future_slot(QueueFactory(organization=org), days=1).pk, name="ก", phone="0810000001")
    services.book(slot_id=future_slot(QueueFactory(organization=second), days=1).pk, name="ข", phone="0810000002")
    services.book(slot_id=future_slot(QueueFactory(organization=quiet), days=3).pk, name="ค", phone="0810000003")
    with mock.patch.object(tasks.remind_organization, "apply_async") as queued:
        assert tasks.queue_reminders() == 2
    calls = sorted((c.kwargs["args"][0], c.kwargs["countdown"]) for c in queued.call_args_list)
    assert [pk for pk, _ in calls] == sorted([org.pk, second.pk])
    assert sorted(countdown for _, countdown in calls) == [0, tasks.REMINDER_SPREAD_SECONDS // 2]
    assert tasks.remind_organization(org.pk) == 1
    assert tasks.remind_organization(org.pk) == 0  # run twice, sent once
    assert list(Notification.objects.filter(event="eservice_queue_reminder").values_list("recipient", flat=True)) \
        == ["0810000001"]
    with mock.patch.object(tasks.remind_organization, "apply_async") as queued:
        assert tasks.queue_reminders() == 1  # only what is still due
    assert queued.call_args.kwargs["args"] == [second.pk]


def test_counter_steps_record_their_event_and_the_officer(org):
    """Check-in, call and finish are actions: each checks the officer's right, changes the booking and records its
    registered event naming the officer (times given: the booking's day, whatever today is)."""

    officer = staff(org, Role.OFFICER)
    queue = QueueFactory(organization=org)
    day = dt.date(2030, 1, 9)
    morning = timezone.make_aware(dt.datetime.combine(day, dt.time(7, 0)))
    slot = next(s for s in services.ensure_slots(queue=queue, day=day) if timezone.localtime(s.start).hour == 9)
    booking = services.book(slot_id=slot.pk, name="ก", phone="0810000001", now=morning)
    counter.check_in(booking=booking, actor=officer, now=morning)
    assert counter.call_next(queue=queue, counter=1, actor=officer, now=morning).pk == booking.pk
    counter.finish(booking=booking, served=True, actor=officer, now=morning)
    for event in ("eservice.booking.checked_in", "eservice.booking.called", "eservice.booking.finished"):
        row = rows_for(booking, event).get()
        assert row.actor == officer and row.additional_data["ticket"] == booking.ticket
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SERVED
    outsider = staff(QueueFactory().organization, Role.OFFICER)
    with pytest.raises(PermissionDenied):
        counter.finish(booking=booking, served=False, actor=outsider, now=morning)
