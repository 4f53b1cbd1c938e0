"""A plan's source document is a private file: never under /media/, downloadable only through a view that checks
the role in the plan's organization; sources stored publicly before are moved by the migration."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from innovation_plans import services
from innovation_plans.models import Plan
from portal.models import Role
from tests.portal.factories import OrganizationFactory, staff

from .factories import parsed_plan

pytestmark = pytest.mark.django_db

SECRET = "ร่างแผนที่ยังไม่เผยแพร่".encode()


def _draft(org):
    return services.import_plan(organization=org, parsed=parsed_plan(), source_name="ร่างแผน.txt",
                                source_bytes=SECRET)


def test_a_draft_plans_source_is_not_under_media(org, settings, client):
    plan = _draft(org)
    assert plan.status == Plan.Status.DRAFT
    assert plan.source_document.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "ร่างแผน" not in plan.source_document.name  # a random name, nothing to guess from
    assert client.get("/media/" + plan.source_document.name).status_code == 404
    assert client.get("/media/innovation_plans/sources/ร่างแผน.txt").status_code == 404


def test_the_source_downloads_only_for_staff_of_the_plans_organization(org):
    plan = _draft(org)
    url = reverse("innovation-plans-source", args=[plan.pk])
    assert Client().get(url).status_code == 302  # to the login page
    stranger = Client()
    stranger.force_login(staff(OrganizationFactory(), Role.ADMINISTRATOR))
    assert stranger.get(url).status_code == 404
    auditor = Client()
    auditor.force_login(staff(org, Role.AUDITOR))
    response = auditor.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == SECRET
    admin = Client()
    admin.force_login(staff(org, Role.ADMINISTRATOR))
    page = admin.get(reverse("admin:innovation_plans_plan_change", args=[plan.pk])).content.decode()
    assert url in page and "/media/" not in page


def test_the_migration_moves_public_sources_to_private_storage(org, settings):
    plan = _draft(org)
    old_name = default_storage.save("innovation_plans/sources/old-plan.txt", ContentFile(SECRET))
    Plan.objects.filter(pk=plan.pk).update(source_document=old_name)
    assert Client().get("/media/" + old_name).status_code == 200  # how it was: public

    migration = importlib.import_module("innovation_plans.migrations.0008_private_plan_sources")
    migration.move_sources_to_private_storage(apps, None)

    plan.refresh_from_db()
    assert plan.source_document.name != old_name and plan.source_document.read() == SECRET
    assert plan.source_document.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not default_storage.exists(old_name)
    assert Client().get("/media/" + old_name).status_code == 404
