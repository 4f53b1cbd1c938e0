"""Phone: book a queue -> ticket -> staff check in and call next -> the display shows the number."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_book_ticket_checkin_call_display(live_server, phone_page, desktop_page, shot, monkeypatch):
    from eservice.models import Booking, OpeningHours, Queue
    from portal.models import Role
    from tests.portal.factories import OrganizationFactory, staff

    org = OrganizationFactory(slug="e2e-queue", name_th="เทศบาลตำบลคิวดี")
    queue = Queue.objects.create(organization=org, code="finance", name_th="งานจัดเก็บรายได้", letter="ก",
                                 slot_minutes=30, places_per_slot=3, lead_time_minutes=0, counters=2)
    # Open around the clock every day, so the test books today and staff can check it in today.
    OpeningHours.objects.bulk_create([OpeningHours(queue=queue, weekday=d, opens=dt.time(0, 0),
                                                   closes=dt.time(23, 30)) for d in range(7)])
    staff(org, Role.OFFICER, username="e2e-counter")
    # Today at 09:00 in the portal's time zone, for the whole test (the live server runs in this process): today's
    # slots are bookable and checked in today whatever the hour the test runs (after 23:00 none would be left).
    nine = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(9, 0)))
    monkeypatch.setattr("django.utils.timezone.now", lambda: nine)

    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/queue/")
    shot(page, "queue-01-home")
    page.click("text=เลือกวัน")
    shot(page, "queue-02-days")
    page.locator(".day-list a.day").first.click()
    page.locator(".slot:not(.full) input[type=radio]").first.check()
    page.fill("#id_name", "สมชาย ใจดี")
    page.fill("#id_phone", "๐๘๙-๑๒๓-๔๕๖๗")
    shot(page, "queue-03-slot-chosen")
    page.click("button:has-text('จองคิว')")
    page.wait_for_selector("#ticket-number")
    ticket = page.inner_text("#ticket-number").strip()
    assert ticket == "ก-001"
    assert page.locator("img.qr").count() == 1
    shot(page, "queue-04-ticket")
    booking = Booking.objects.get()
    # The cancel link asks first: opening it cancels nothing.
    page.click("text=ยกเลิกการจอง")
    assert "ยืนยันยกเลิก" in page.content()
    booking.refresh_from_db()
    assert booking.status == "booked"
    shot(page, "queue-05-cancel-confirm")
    page.click("text=ไม่ยกเลิก")

    desk = desktop_page
    login(desk, live_server, "e2e-counter")
    desk.goto(f"{live_server.url}/{org.slug}/queue/checkin/{booking.token}/")
    desk.click("text=ยืนยันเช็กอิน")
    desk.wait_for_selector("table.bookings")
    desk.click("button:has-text('เรียกคิวถัดไป ช่อง 2')")
    desk.wait_for_selector(f"text=เรียกคิว {ticket} ที่ช่อง 2")
    shot(desk, "queue-06-staff-day-view")

    screen = phone_page.context.browser.new_page(viewport={"width": 1280, "height": 720})
    screen.goto(f"{live_server.url}/{org.slug}/queue/display/")
    assert screen.inner_text(".counter .number") == ticket
    assert "ช่อง 2" in screen.inner_text(".counter .label")
    shot(screen, "queue-07-display")
    screen.close()
    assert timezone.localdate() == booking.date
