"""Every citizen page of every service, on a phone and a desktop, with the demo data: axe-core finds no serious or critical
WCAG 2.1 AA violation, and no control or table cell clips Thai marks (ุ ู ิ ี ่ ้ ๊ ๋ ั ็).

The pages are found from the demo data of each service (complaints, e-service, queue, tax, open data, plans), so
a service's pages are walked as soon as it has demo data. Screenshots: test-artifacts/screenshots/citizen-*.png.
"""

import pytest

from tests.e2e.a11y import axe_violations, controls_cut_off, thai_clipping
from tests.pages import demo_citizen_pages as _demo_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _check(page, name, problems, shot):
    # The page and its deferred scripts have run at "load"; the Thai web font must be in before marks are measured.
    # (Not "networkidle": a live display polls and never gets there, and every other page waited half a second more.)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    shot(page, f"citizen-{name}" if page.viewport_size["width"] < 600 else f"citizen-desktop-{name}")
    for v in axe_violations(page):
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        problems.append(f"{name}: axe {v['id']} ({v['impact']}) -> {targets}")
    clipping = thai_clipping(page)
    for c in clipping["clipped"]:
        problems.append(f"{name}: Thai clipped in <{c['tag']}> {c.get('text', '')[:40]!r}")
    for c in controls_cut_off(page)["cut"]:
        problems.append(f"{name}: text cut off in <{c['tag']}> {c['text'][:60]!r}")
    return clipping["checked"]


def _walk_in_thai(page, live_server, pages, bill, shot, problems):
    checked, seen = 0, set()
    for name, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        expected = 404 if name == "not-found" else 200
        if response.status != expected:
            problems.append(f"{name}: {path} answered {response.status}")
            continue
        checked += _check(page, name, problems, shot)
        seen.add(name)
    # The tax bill is reached through its lookup form (number + last four digits of the owner's ID).
    page.goto(f"{live_server.url}/khamyai/tax/")
    page.fill("#id_number", bill[0])
    page.fill("#id_id_last4", bill[1])
    page.click("#lookup-submit")
    page.wait_for_selector("#bill-qr")
    checked += _check(page, "tax-bill", problems, shot)
    seen.add("tax-bill")
    # Every service's pages were reached, and Thai controls and cells were measured.
    for kind in ("complaint-track", "eservice-form", "queue-days", "tax-bill", "opendata-dataset", "plan"):
        assert kind in seen, kind
    assert checked >= 20, checked


def _walk_in_english(page, live_server, pages, shot, problems):
    """The same walk in English (labels change length and language): no serious or critical violation."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    for name, path in pages:
        response = page.goto(f"{live_server.url}{path}")
        if response.status != (404 if name == "not-found" else 200):
            problems.append(f"{name} (en): {path} answered {response.status}")
            continue
        for v in axe_violations(page):
            problems.append(f"{name} (en): axe {v['id']} ({v['impact']})")
        for c in controls_cut_off(page)["cut"]:
            problems.append(f"{name} (en): text cut off in <{c['tag']}> {c['text'][:60]!r}")
        if name in ("org-home", "plan", "eservice-form", "tax"):
            shot(page, f"citizen-en-{name}")


def test_every_citizen_page_on_a_phone_and_a_desktop_in_thai_and_english(live_server, phone_page, desktop_page,
                                                                          shot):
    """One walk of the demo's citizen pages per screen and language (the demo is loaded once for the three)."""
    pages, bill = _demo_pages()
    assert bill, "the tax demo prints a bill to look up"
    problems = {"phone": [], "desktop": [], "english": []}
    _walk_in_thai(phone_page, live_server, pages, bill, shot, problems["phone"])
    _walk_in_thai(desktop_page, live_server, pages, bill, shot, problems["desktop"])
    _walk_in_english(phone_page, live_server, pages, shot, problems["english"])
    assert problems == {"phone": [], "desktop": [], "english": []}, "\n".join(
        f"{where}: {problem}" for where, found in problems.items() for problem in found)
