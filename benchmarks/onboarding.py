"""Server time of each onboarding step, as the clerk and the installation's superuser do them in a browser.

    .venv/bin/python benchmarks/onboarding.py [organizations]        # default 5
    DATABASE_URL=postgres://.../<db> .venv/bin/python benchmarks/onboarding.py   # a database it may migrate

Production mode (DEBUG off, the real password hasher), a throw-away SQLite database unless DATABASE_URL is given.
First the national directory: a 7,850-row file (every subdistrict outside Bangkok from geothai as an SAO or a
subdistrict municipality, then again as town municipalities up to 7,850, with made-up 7-digit codes) checked (the dry-run preview), imported, and imported again (nothing changes). Then, for each of
`organizations` directory entries: the superuser's invitation (with an own host name), and on that host the clerk's
password page and every wizard step (page shown, then saved): the core's (names, contact, logo, LINE, digit style,
services, departments, three staff invitations) and the service apps' (the largest seed plan document imported,
five e-services from templates, three queues with office hours, the ten standard complaint categories, tax
settings with the callback secret shown once), then the last page and the public home page. Each figure
is the time of the whole request through Django's test client (middleware, views, templates, queries), the
median over the organizations, with the maximum. Goal (issue 21): under 2 s of server time per step.
"""

import io
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    _db = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
    os.environ["DATABASE_URL"] = f"sqlite:///{_db.name}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
for name, value in {"DJANGO_DEBUG": "0", "SECRET_KEY": "benchmark-only-" + "x" * 40, "ALLOWED_HOSTS": "testserver",
                    "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
                    "PERSONAL_ID_HASH_KEY": "benchmark-only-hash-key",
                    "FIELD_ENCRYPTION_KEYS": "YmVuY2htYXJrLW9ubHkta2V5LW5vdC1mb3ItZGF0YSE="}.items():
    os.environ.setdefault(name, value)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

TIMES: dict[str, list[float]] = {}
PLAN = ROOT / "innovation_plans" / "seeds" / "phannanakhon_plan.txt"  # the largest seed plan, 100 KB


def timed(label, call, *args, expect=(200, 302), **kwargs):
    started = time.perf_counter()
    response = call(*args, **kwargs)
    TIMES.setdefault(label, []).append(time.perf_counter() - started)
    if response.status_code not in expect:
        raise SystemExit(f"{label}: {response.status_code} {response.content[:300]!r}")
    return response


def directory_csv() -> bytes:
    import geothai

    lines = ["รหัส,ประเภท,ชื่อ,จังหวัด,อำเภอ,ตำบล"]
    # every subdistrict once as an SAO or a subdistrict municipality, then town municipalities up to 7,850
    for first, round_kinds in (("9", ("อบต.", "เทศบาลตำบล")), ("8", ("เทศบาลเมือง", "เทศบาลเมือง"))):
        for province in geothai.provinces():
            if province.code == "10":
                continue
            for district in geothai.districts(province.code):
                for sub in geothai.subdistricts(district.code):
                    kind = round_kinds[0] if int(sub.code) % 4 else round_kinds[1]
                    name = {"อบต.": "องค์การบริหารส่วนตำบล"}.get(kind, kind) + sub.name_th
                    lines.append(f"{first}{sub.code},{kind},{name},{province.name_th},{district.name_th},"
                                 f"{sub.name_th}")
    return ("\n".join(lines[:7851]) + "\n").encode()


def upload(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 800), (11, 93, 75)).save(out, "PNG")
    return out.getvalue()


def main(count=5):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RATELIMIT_ENABLE = False
    # no collectstatic here: the pages name their static files without the manifest's hashes
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from complaints.demo import DEFAULT_CATEGORIES
    from portal.models import DirectoryEntry, Organization, OrganizationSetup

    User = get_user_model()
    root = User.objects.filter(username="bench-root").first() or User.objects.create_superuser(
        "bench-root", "root@example.com", "x")
    admin = Client()
    admin.force_login(root)

    data = directory_csv()
    rows = data.count(b"\n") - 1
    url = "/admin/portal/directoryentry/import/"
    timed("directory: upload page (the process's first request)", admin.get, url)
    for label in (f"directory: check {rows:,} rows (dry run)", f"directory: import {rows:,} rows",
                  f"directory: check again ({rows:,} unchanged)", f"directory: import again ({rows:,} unchanged)"):
        if "check" in label:
            page = timed(label, admin.post, url, {"file": upload(data, "dla.csv")})
            token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
        else:
            timed(label, admin.post, url, {"token": token})
    assert DirectoryEntry.objects.filter(code__regex=r"^[89]").count() == rows

    logo = png()
    plan = PLAN.read_bytes()
    entries = list(DirectoryEntry.objects.filter(code__startswith="9", organization__isnull=True)
                   .order_by("code")[:count])
    for n, entry in enumerate(entries):
        host = f"www.bench{entry.code}.go.th"
        invite_url = f"/admin/portal/directoryentry/{entry.pk}/invite/"
        timed("invite: page", admin.get, invite_url)
        page = timed("invite: send", admin.post, invite_url, {
            "email": f"clerk{n}@bench.example", "slug": f"bench-{entry.code}", "host": host})
        link = re.search(r'id="invitation-link" readonly value="([^"]+)"', page.content.decode()).group(1)
        path = "/" + link.split("/", 3)[3]
        clerk = Client(HTTP_HOST=host)
        timed("password: page", clerk.get, path)
        timed("password: save (hashing included)", clerk.post, path, {
            "first_name": "วิไล", "last_name": "ศรีสุข", "password1": "Bench-2568-setup", "password2": "Bench-2568-setup"})
        organization = Organization.objects.get(slug=f"bench-{entry.code}")
        steps = [
            ("names", {"name_th": organization.name_th, "name_en": organization.name_en}),
            ("contact", {"address": "หมู่ 1", "phone": "043 000 000", "email": "", "office_hours": "จันทร์–ศุกร์"}),
            ("logo", {"logo": upload(logo, "logo.png")}),
            ("line", {"line_oa_id": f"@b{entry.code}"}),
            ("digits", {"public_digits": "thai"}),
            ("services", {"on": ["complaints", "eservice", "opendata", "innovation_plans", "taxpay"]}),
            ("departments", {"standard": ["clerk", "finance", "works", "education", "welfare", "health"],
                             "others": "กองส่งเสริมการเกษตร"}),
            ("staff", {"email_1": f"officer{n}@bench.example", "role_1": "officer",
                       "email_2": f"finance{n}@bench.example", "role_2": "finance",
                       "email_3": f"auditor{n}@bench.example", "role_3": "auditor"}),
            ("innovation_plans-plan", {"document": upload(plan, PLAN.name)}),
            ("eservice-templates", {"templates": ["general-request", "service-request", "water-truck",
                                                  "street-light-repair", "elderly-allowance"]}),
            ("eservice-queues", {"queues": ["finance", "welfare", "registration"], "days": ["0", "1", "2", "3", "4"],
                                 "morning_opens": "08:30", "morning_closes": "12:00",
                                 "afternoon_opens": "13:00", "afternoon_closes": "16:30"}),
            ("complaints-categories", {"categories": [row[0] for row in DEFAULT_CATEGORIES]}),
            # the secret is shown once: a 200 page, not a redirect
            ("taxpay-settings", {"biller_id": f"0994000{entry.code[1:]}01", "payee_name": "อบต."}),
        ]
        for name, values in steps:
            timed(f"wizard {name}: page", clerk.get, f"/setup/{name}/")
            timed(f"wizard {name}: save", clerk.post, f"/setup/{name}/", values,
                  expect=(200,) if name == "taxpay-settings" else (302,))
        done = set(OrganizationSetup.objects.get(organization=organization).steps_done)
        assert {name for name, _values in steps} <= done, "every step saved"
        timed("wizard finish: page", clerk.get, "/setup/finish/")
        timed("wizard finish: open the website", clerk.post, "/setup/finish/", expect=(302,))
        timed("home page (first view)", Client(HTTP_HOST=host).get, "/")

    width = max(len(label) for label in TIMES)
    print(f"{'step':{width}}  {'median':>9}  {'max':>9}  runs")
    for label, values in TIMES.items():
        print(f"{label:{width}}  {statistics.median(values) * 1000:7.0f} ms  {max(values) * 1000:7.0f} ms  "
              f"{len(values)}")
    clerk_steps = [label for label in TIMES if not label.startswith("directory")]
    total = sum(statistics.median(TIMES[label]) for label in clerk_steps)
    print(f"one organization, invitation to home page: {total:.2f} s of server time in {len(clerk_steps)} requests")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
