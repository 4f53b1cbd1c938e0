"""Onboarding an organization with no IT staff, in a browser: the installation's superuser imports the national
directory and invites Kham Yai with its own host name; the clerk opens the e-mailed link on www.khamyai.go.th
(resolved to this machine by Chromium's --host-resolver-rules), sets a password, walks the set-up wizard on a
phone, and lands on the organization's home page under its own host; then a citizen, on another phone and under
that host, files a complaint in a category the clerk switched on and books a queue the clerk opened. Every page
axe-clean; screenshots in
test-artifacts/screenshots/onboarding-*.png. The steps and clicks are counted here; the server time of each step
is measured by benchmarks/onboarding.py (BENCHMARKS.md)."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.a11y import assert_axe_clean
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOST = "www.khamyai.go.th"
SAMPLE = Path(__file__).resolve().parents[2] / "portal" / "onboarding" / "sample_directory.csv"
# The live server's own names and the organization's host; anything else (map tiles, fonts) is refused.
LOCAL = re.compile(rf"^https?://(localhost|127\.0\.0\.1|{re.escape(HOST)})[:/]")


@pytest.fixture
def own_host_browser(pw):
    """A browser of its own: the resolver rule is a launch flag, the session's browser has none."""
    browser = pw.chromium.launch(executable_path=CHROMIUM,
                                 args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
    yield browser
    browser.close()


def _context(browser, **kwargs):
    context = browser.new_context(locale="th-TH", **kwargs)
    context.route(lambda url: not LOCAL.match(url), lambda route: route.abort())
    return context


def test_invite_password_wizard_home_under_the_own_host(live_server, own_host_browser, shot, tmp_path,
                                                        django_user_model):
    from portal.models import Department, Organization

    django_user_model.objects.create_superuser("root", "root@example.com", "root-pw-2568-x")
    port = live_server.url.rsplit(":", 1)[1]

    # --- the installation's superuser, on the shared host: import the directory, invite Kham Yai ------------------
    admin = _context(own_host_browser, viewport={"width": 1366, "height": 900}).new_page()
    admin.goto(f"{live_server.url}/admin/login/")
    admin.fill("#id_username", "root")
    admin.fill("#id_password", "root-pw-2568-x")
    admin.click("input[type=submit]")
    admin.wait_for_url(f"{live_server.url}/admin/")
    admin.goto(f"{live_server.url}/admin/portal/directoryentry/import/")
    admin.set_input_files("#id_file", str(SAMPLE))
    admin.click("#directory-check")
    admin.wait_for_selector("#directory-plan")
    assert "เพิ่มใหม่ 6 รายการ" in admin.inner_text("#directory-plan")
    shot(admin, "onboarding-00-directory-preview")
    admin.click("#directory-confirm")
    admin.wait_for_url(f"{live_server.url}/admin/portal/directoryentry/")
    admin.fill("#searchbar", "คำใหญ่")
    admin.press("#searchbar", "Enter")
    admin.wait_for_url(re.compile(r".*\?q="))
    admin.click("#result_list a[href$=\"/invite/\"]")
    admin.wait_for_selector("#invite-send")
    assert admin.input_value("#id_slug") == "kham-yai"
    admin.fill("#id_email", "clerk@khamyai.example")
    admin.fill("#id_host", HOST)
    assert_axe_clean(admin)
    admin.click("#invite-send")
    admin.wait_for_selector("#invitation-link")
    link = admin.input_value("#invitation-link")
    assert link.startswith(f"http://{HOST}:{port}/accounts/invitation/")
    shot(admin, "onboarding-01-invited")

    # --- the clerk, on a phone, on the organization's own host --------------------------------------------------------
    page = _context(own_host_browser, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                    has_touch=True).new_page()
    steps, clicks = 0, 0

    def step(name):
        nonlocal steps
        steps += 1
        assert_axe_clean(page)
        shot(page, f"onboarding-{steps + 1:02d}-{name}")

    def press(selector):
        nonlocal clicks
        with page.expect_navigation():
            page.click(selector)
        clicks += 1

    def skip():
        press("button[name=skip]")

    page.goto(link)
    assert page.title().startswith("ตั้งรหัสผ่านผู้ดูแลองค์กร")
    page.fill("#id_first_name", "วิไล")
    page.fill("#id_last_name", "ศรีสุข")
    page.fill("#id_password1", "Kham-Yai-2568-setup")
    page.fill("#id_password2", "Kham-Yai-2568-setup")
    step("password")
    press("#accept")
    assert page.url == f"http://{HOST}:{port}/setup/names/"

    assert page.input_value("#id_name_th") == "องค์การบริหารส่วนตำบลคำใหญ่"
    assert page.input_value("#id_name_en") == "Kham Yai Subdistrict Administrative Organization"
    step("names")
    press("#save-next")  # the directory's names are right: nothing to type

    page.fill("#id_phone", "043 123 456")
    page.fill("#id_office_hours", "จันทร์–ศุกร์ 08:30–16:30 น.")
    step("contact")
    press("#save-next")

    logo = tmp_path / "logo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (11, 93, 75)).save(buffer, "PNG")
    logo.write_bytes(buffer.getvalue())
    page.set_input_files("#id_logo", str(logo))
    step("logo")
    press("#save-next")

    page.fill("#id_line_oa_id", "@khamyai")
    step("line")
    press("#save-next")

    press("#save-next")  # digit style: Arabic, as it comes

    page.uncheck("input[value=taxpay]")  # no bills yet: the tax pages (and their step) wait
    clicks += 1
    step("services")
    press("#save-next")

    step("departments")  # the usual divisions come ticked
    press("#save-next")

    skip()  # staff accounts: later
    # the steps of the services switched on: the plan and the e-services later; the standard queues with their
    # office hours and the complaint categories as they come ticked (what the citizens' pages need)
    assert page.url.endswith("/setup/innovation_plans-plan/")
    skip()
    skip()
    step("queues")
    press("#save-next")
    press("#save-next")

    assert "สำนักปลัด" in page.inner_text("main")
    step("finish")
    press("#finish")

    assert page.url == f"http://{HOST}:{port}/"
    assert page.locator("h1").inner_text() == "องค์การบริหารส่วนตำบลคำใหญ่"
    assert page.locator("#org-line").is_visible() and "043 123 456" in page.inner_text("main")
    assert page.locator("a[href='/complaints/new/']").count() and page.locator("a[href='/queue/']").count()
    step("home")

    organization = Organization.objects.get(slug="kham-yai")
    assert organization.is_active and organization.logo
    assert Department.objects.filter(organization=organization).count() == 6
    assert organization.complaint_categories.filter(is_active=True).count() == 10
    assert organization.queues.filter(hours__isnull=False).distinct().count() == 3
    # thirteen wizard pages (four skipped), one click each but the services tick; checked and shot: the password
    # page, seven wizard pages, the last page and the home page
    assert (steps, clicks) == (10, 15)

    # --- a citizen, on another phone, under the organization's own host: files a complaint, books a queue ---------
    from complaints.models import Complaint
    from eservice.models import Booking

    citizen = _context(own_host_browser, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                       has_touch=True).new_page()
    home = f"http://{HOST}:{port}"
    citizen.goto(f"{home}/")
    citizen.click("a[href='/complaints/new/']")
    citizen.wait_for_selector("#id_category")
    category = organization.complaint_categories.get(code="street_light")
    citizen.select_option("#id_category", str(category.pk))
    citizen.fill("#id_description", "ไฟถนนดับหน้าศาลาหมู่บ้าน")
    citizen.locator("#map").click(position={"x": 180, "y": 120})  # the pin, inside the organization's area
    citizen.check("#id_pdpa_consent")
    citizen.click("#submit-complaint")
    citizen.wait_for_selector("#tracking-code")
    code = citizen.inner_text("#tracking-code").strip()
    assert citizen.url.startswith(f"{home}/") and "/kham-yai/" not in citizen.url
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.organization == organization and complaint.category == category
    shot(citizen, "onboarding-citizen-01-complaint")

    citizen.goto(f"{home}/queue/")
    citizen.locator(".service-list a.btn").first.click()  # the first queue the clerk opened
    # the last open day of the window: whole days ahead, whatever the time of day the test runs
    citizen.locator(".day-list a.day").last.click()
    citizen.locator(".slot:not(.full) input[type=radio]").first.check()
    citizen.fill("#id_name", "สมศรี มีสุข")
    citizen.fill("#id_phone", "0891234567")
    citizen.click("button:has-text('จองคิว')")
    citizen.wait_for_selector("#ticket-number")
    assert citizen.url.startswith(f"{home}/") and "/kham-yai/" not in citizen.url
    booking = Booking.objects.get(ticket=citizen.inner_text("#ticket-number").strip())
    assert booking.queue.organization == organization
    shot(citizen, "onboarding-citizen-02-ticket")
