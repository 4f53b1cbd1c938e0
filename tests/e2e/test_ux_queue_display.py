"""The office display on a 1920×1080 TV: the organization's name and numbers readable across a room, no site header
or language buttons; it recovers by itself after a network drop. The page's timers run on Playwright's clock (no
waiting on real time): the numbers' answers are stopped, the notice shows, a ticket is called meanwhile, answers
start again and the new number appears, without the page ever reloading."""

import datetime as dt
from unittest import mock

import pytest

from tests.e2e.a11y import assert_axe_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_tv_display_fills_the_screen_and_recovers_from_a_network_drop(live_server, browser, shot):
    from django.utils import timezone

    from eservice.models import Slot
    from eservice.queues import counter, services
    from portal.models import Role
    from tests.eservice.factories import QueueFactory
    from tests.portal.factories import OrganizationFactory, staff

    org = OrganizationFactory(slug="e2e-tv", name_th="เทศบาลตำบลจอใหญ่")
    queue = QueueFactory(organization=org, lead_time_minutes=0, name_th="งานทะเบียนราษฎร")
    officer = staff(org, Role.OFFICER)
    now = timezone.now()
    slot = Slot.objects.create(queue=queue, date=timezone.localdate(), start=now + dt.timedelta(hours=1),
                               end=now + dt.timedelta(hours=1, minutes=30), capacity=5)
    with mock.patch("eservice.queues.selectors.is_open_day", return_value=True):
        first = services.book(slot_id=slot.pk, name="ก", phone="0810000001")
        second = services.book(slot_id=slot.pk, name="ข", phone="0810000002")
    counter.check_in(booking=first, actor=officer)
    counter.check_in(booking=second, actor=officer)
    counter.call_next(queue=queue, counter=1, actor=officer)

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        tv = context.new_page()
        tv.clock.install()
        tv.goto(f"{live_server.url}/{org.slug}/queue/display/")
        assert tv.locator(".site-header, .lang-switch").count() == 0
        assert "เทศบาลตำบลจอใหญ่" in tv.inner_text("h1")
        assert tv.inner_text(".counter .number") == first.ticket
        size = tv.evaluate("parseFloat(getComputedStyle(document.querySelector('.counter .number')).fontSize)")
        assert size >= 150, size  # about 17 cm tall on a 55-inch TV: read from across the room
        # one counter called: its tile takes the screen's width and its number grows into it
        assert tv.locator(".counter").bounding_box()["width"] >= 1500
        assert size >= 300, size
        assert tv.evaluate("document.documentElement.scrollWidth") <= 1920
        assert_axe_clean(tv)
        shot(tv, "display-01-tv-1920")
        tv.evaluate("window.__sameDocument = true")

        screen_url = f"**/{org.slug}/queue/display/?part=screen"
        tv.route(screen_url, lambda route: route.abort("internetdisconnected"))
        tv.clock.run_for(6000)
        tv.wait_for_selector("#tv-offline", state="visible")
        assert tv.inner_text(".counter .number") == first.ticket  # the last numbers stay on screen
        counter.call_next(queue=queue, counter=2, actor=officer)  # called while the TV was cut off
        tv.clock.run_for(30000)
        shot(tv, "display-02-network-dropped")

        tv.unroute(screen_url)
        tv.clock.run_for(61000)
        tv.wait_for_selector("#tv-offline", state="hidden")
        tv.wait_for_function(f"document.body.innerText.includes({second.ticket!r})")
        assert tv.evaluate("window.__sameDocument === true")  # recovered in place, never reloaded
        shot(tv, "display-03-recovered")
    finally:
        context.close()
