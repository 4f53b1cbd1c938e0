"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Screenshots go to test-artifacts/screenshots/ (git-ignored); look at them.
One browser per test session (`browser` below) and one live server (pytest-django's `live_server` is
session-scoped); each test gets a fresh browser context. Under pytest-xdist every test marked e2e runs on the
same worker (tests/conftest.py), so the session starts each of them once.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def pw():
    """One Playwright per session: its sync API runs an event loop in this thread, so a second one cannot start
    while the first runs (a test that needs a browser with other launch flags launches it from this one)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps-test`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(pw):
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# Tests never reach outside the machine: map tiles (OpenStreetMap by default) and anything else not served by the
# live server are answered here. Map tiles get a blank PNG so the page behaves as with a tile server.
EXTERNAL = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1|\[::1\])[:/])")
BLANK_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000"
                          "050001a5f645400000000049454e44ae426082")
EXTERNAL_REQUESTS = []


def _offline(context):
    def answer(route):
        EXTERNAL_REQUESTS.append(route.request.url)
        if route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        else:
            route.abort()

    context.route(EXTERNAL, answer)
    return context


@pytest.fixture
def phone_page(browser):
    context = _offline(browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                           locale="th-TH", accept_downloads=True))
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = _offline(browser.new_context(viewport={"width": 1366, "height": 900}, locale="th-TH",
                                           accept_downloads=True))
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot():
    """shot(page, "name") saves test-artifacts/screenshots/name.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SHOTS / f"{name}.png"
        # one image pixel per CSS pixel: a phone page (device scale 2) would otherwise be four times the pixels
        page.screenshot(path=str(path), full_page=True, scale="css", animations="disabled")
        return path

    return take


def login(page, live_server, username, password="pw-test-12345"):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
