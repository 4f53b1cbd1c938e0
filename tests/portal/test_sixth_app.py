"""CONTRIBUTING.md's "Adding a service app" walk-through, done as a newcomer would: `startapp`, the app's
`apps.py` taken word for word from the guide, a model, a service, a page, then `makemigrations`, `migrate` and
`check` in a process of its own with the app in INSTALLED_APPS. The new app must then be in the portal with
nothing else edited: its link on the organization's home page, its page under /<org>/, its role permissions, its
registered audit event, its tenancy accepted by the start-up checks.

When the guide's code stops working (a name moves, a hook changes), this test fails on the guide's own text.
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.testdb import sqlite_template

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "CONTRIBUTING.md"

pytestmark = pytest.mark.once  # a process of its own with a whole migrate: engine-independent, heavy


def guide_apps_py() -> str:
    """Step 2's code block (the app's apps.py), as printed in the guide."""
    section = GUIDE.read_text(encoding="utf-8").split("## Adding a service app", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    apps_py = next(block for block in blocks if "class LibcardsConfig(ServiceAppConfig)" in block)
    return textwrap.dedent(apps_py)


# What steps 3-5 of the guide describe, written the way they say: an organization-owned model with a tracking
# code, a service with keyword-only arguments that records the registered event, a thin view under /<org>/.
FILES = {
    "models.py": '''
        from django.db import models
        from django.utils.translation import gettext_lazy as _

        from portal.models import OrganizationOwned


        class CardRequest(OrganizationOwned):
            organization_related_name = "library_cards"
            tracking_code = models.CharField(_("รหัสติดตาม"), max_length=32, unique=True,
                                             help_text=_("รหัสที่ผู้ขอใช้ติดตามคำขอ"))
            name = models.CharField(_("ชื่อผู้ขอ"), max_length=200, help_text=_("ชื่อและนามสกุล"))

            class Meta:
                verbose_name = _("คำขอบัตรห้องสมุด")
    ''',
    "services.py": '''
        from django.db import transaction

        from portal import thai
        from portal.audit import trail as audit
        from portal.outputs.codes import insert_with_code

        from .models import CardRequest


        def submit_request(*, organization, name, actor=None):
            with transaction.atomic():
                card = CardRequest(organization=organization, name=name)
                insert_with_code(card, make_code=lambda: thai.tracking_code(organization.code_prefix))
                audit.record(card, actor=actor or audit.citizen("web"), event="libcards.cardrequest.submitted",
                             action=audit.Action.CREATE, data={"tracking_code": card.tracking_code})
            return card
    ''',
    "forms.py": '''
        from django import forms
        from django.utils.translation import gettext_lazy as _


        class CardRequestForm(forms.Form):
            name = forms.CharField(label=_("ชื่อผู้ขอ"), max_length=200)
    ''',
    "views.py": '''
        from django.http import HttpResponse
        from django.shortcuts import get_object_or_404, render

        from portal.models import Organization

        from . import services
        from .forms import CardRequestForm


        def new(request, org_slug):
            organization = get_object_or_404(Organization, slug=org_slug, is_active=True)
            form = CardRequestForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                card = services.submit_request(organization=organization, name=form.cleaned_data["name"])
                return HttpResponse(card.tracking_code, status=201)
            return render(request, "libcards/new.html", {"organization": organization, "form": form},
                          status=400 if request.method == "POST" else 200)
    ''',
    "urls.py": '''
        from django.urls import path

        from . import views

        app_name = "libcards"
        urlpatterns = [path("libcards/new/", views.new, name="new")]
    ''',
    "demo.py": '''
        def load_demo(organization, *, stdout=None):
            return []
    ''',
    "templates/libcards/new.html": '''
        {% extends "base.html" %}
        {% block content %}<h1>ขอบัตรห้องสมุด</h1><form method="post">{% csrf_token %}{{ form.as_p }}</form>{% endblock %}
    ''',
}

# Run in the new process: the portal with the sixth app, on a SQLite file of its own.
CHECKS = '''
import django
django.setup()
from django.core.management import call_command

call_command("makemigrations", "libcards", verbosity=0)
call_command("migrate", verbosity=0)
call_command("check", fail_level="ERROR")

from auditlog.models import LogEntry
from django.test import Client

from libcards.models import CardRequest
from portal.access.permissions import can
from portal.audit import events
from portal.models import Membership, Role
from portal.registry import service_apps
from tests.portal.factories import OrganizationFactory, UserFactory

assert "libcards" in [config.label for config in service_apps()]
organization = OrganizationFactory(slug="libtest")
client = Client()
home = client.get("/libtest/").content.decode()
assert "ขอบัตรห้องสมุด" in home and "/libtest/libcards/new/" in home, "no link on the home page"
assert client.get("/libtest/libcards/new/").status_code == 200
assert client.post("/libtest/libcards/new/", {"name": ""}).status_code == 400
answer = client.post("/libtest/libcards/new/", {"name": "สมชาย ใจดี"})
assert answer.status_code == 201, answer.status_code
card = CardRequest.objects.get(tracking_code=answer.content.decode())
assert card.organization == organization
row = LogEntry.objects.get(additional_data__event="libcards.cardrequest.submitted")
assert row.additional_data["organization_id"] == organization.pk
assert str(events.label("libcards.cardrequest.submitted")) == "ยื่นคำขอบัตรห้องสมุด"
officer = UserFactory()
Membership.objects.create(user=officer, organization=organization, role=Role.OFFICER)
assert can(officer, "add", card) and can(officer, "change", card)
auditor = UserFactory()
Membership.objects.create(user=auditor, organization=organization, role=Role.AUDITOR)
assert can(auditor, "view", card) and not can(auditor, "change", card)
print("SIXTH APP OK")
'''


def test_the_guide_builds_a_sixth_app_that_joins_the_portal(tmp_path):
    apps_root = tmp_path / "apps"
    apps_root.mkdir()
    # Step 1: mkdir and startapp, as the guide says.
    package = apps_root / "libcards"
    package.mkdir()
    subprocess.run([sys.executable, "manage.py", "startapp", "libcards", str(package)], cwd=ROOT, check=True,
                   capture_output=True)
    # Step 2: apps.py from the guide, word for word.
    (package / "apps.py").write_text(guide_apps_py(), encoding="utf-8")
    # The guide's config names an API module: give it the empty route list it needs.
    (package / "api").mkdir()
    (package / "api" / "__init__.py").write_text("", encoding="utf-8")
    (package / "api" / "urls.py").write_text("urlpatterns = []\n", encoding="utf-8")
    for name, text in FILES.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (tmp_path / "sixth_settings.py").write_text(
        "from tests.settings import *  # noqa\nINSTALLED_APPS = [*INSTALLED_APPS, 'libcards']\n", encoding="utf-8")
    database = tmp_path / "sixth.sqlite3"
    template = sqlite_template()
    if template:  # every other app migrated already (tests/testdb.py): `migrate` applies only the new app's
        shutil.copyfile(template, database)
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "PYTEST_XDIST_WORKER")}
    env.update(DJANGO_SETTINGS_MODULE="sixth_settings", DATABASE_URL=f"sqlite:///{database}",
               PYTHONPATH=os.pathsep.join([str(tmp_path), str(apps_root), str(ROOT)]))
    env.pop("TEST_DATABASE_NAME", None)
    done = subprocess.run([sys.executable, "-c", CHECKS], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0 and "SIXTH APP OK" in done.stdout, done.stdout[-3000:] + done.stderr[-6000:]
    assert (package / "migrations" / "0001_initial.py").exists()
