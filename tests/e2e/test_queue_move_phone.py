"""Phone: book, move the appointment to another day, then open the link saved before the move (a fresh browser,
as from an SMS): it shows the new day and time in full; cancel, then book again in one tap."""

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

THAI_WEEKDAYS = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"]


def test_moved_appointment_keeps_its_link(live_server, phone_page, browser, shot):
    from eservice.models import Booking, OpeningHours, Queue
    from portal import thai
    from tests.portal.factories import OrganizationFactory

    org = OrganizationFactory(slug="e2e-move", name_th="เทศบาลตำบลเลื่อนนัด")
    queue = Queue.objects.create(organization=org, code="finance", name_th="งานจัดเก็บรายได้", letter="ก",
                                 slot_minutes=60, places_per_slot=3, lead_time_minutes=0, counters=1)
    OpeningHours.objects.bulk_create([OpeningHours(queue=queue, weekday=d, opens=dt.time(9, 0),
                                                   closes=dt.time(12, 0)) for d in range(7)])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    later = tomorrow + dt.timedelta(days=2)

    page = phone_page
    page.goto(f"{live_server.url}/{org.slug}/queue/{queue.code}/{tomorrow.isoformat()}/")
    page.locator(".slot:not(.full) input[type=radio]").first.check()
    page.fill("#id_name", "สมชาย ใจดี")
    page.fill("#id_phone", "0891234567")
    page.click("button:has-text('จองคิว')")
    page.wait_for_selector("#ticket-number")
    saved_link = page.url  # what the citizen bookmarks (and what the SMS carries)

    page.click("a.btn:has-text('เลื่อนนัด')")
    page.select_option("#day", later.isoformat())
    page.click("button:has-text('ดูช่วงเวลา')")
    page.locator(".slot:not(.full) input[type=radio]").nth(1).check()  # 10:00
    shot(page, "queue-move-01-choose")
    page.click("button:has-text('ยืนยันเลื่อนนัด')")
    page.wait_for_selector("#ticket-number")
    assert page.url == saved_link

    fresh = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    old_link = fresh.new_page()
    old_link.goto(saved_link)
    when = thai.to_arabic_digits(old_link.inner_text("#ticket-when"))
    assert f"วัน{THAI_WEEKDAYS[later.weekday()]}ที่ {later.day} {thai.THAI_MONTHS[later.month - 1]} " \
           f"{later.year + 543}" in when, when
    assert "10:00" in when and "ยกเลิก" not in old_link.inner_text(".ticket .status")
    shot(old_link, "queue-move-02-old-link-shows-new-time")

    old_link.click("a.btn:has-text('ยกเลิกการจอง')")
    shot(old_link, "queue-move-03-cancel-full-day")
    old_link.click("button:has-text('ยืนยันยกเลิก')")
    old_link.wait_for_selector("#book-again")
    shot(old_link, "queue-move-04-cancelled-book-again")
    old_link.click("#book-again")
    old_link.wait_for_selector(".day-list a.day")
    fresh.close()
    booking = Booking.objects.get()
    assert booking.status == "cancelled" and booking.date == later
