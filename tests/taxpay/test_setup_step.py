"""The tax step of the clerk's set-up wizard (taxpay/setup.py through ServiceAppConfig.setup_steps): the biller ID
from the bank split into the organization's tax ID and the bank's suffix, this year's tax year, and the callback
secret generated, kept sealed, and shown once; skipped and resumed; the organization's administrators only."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client

from portal.models import OrganizationSetup, Role
from taxpay.models import TaxSettings, TaxYear
from tests.portal.factories import OrganizationFactory, staff

pytestmark = pytest.mark.django_db
STEP = "taxpay-settings"
BILLER = "099400012345601"


@pytest.fixture
def new_org(db):
    organization = OrganizationFactory(is_active=False, tax_id="")
    OrganizationSetup.objects.create(organization=organization)
    return organization


def _url(organization):
    return f"/{organization.slug}/setup/{STEP}/"


def _shown(response) -> str:
    return re.search(r'id="shown-once-value"[^>]*>([^<]+)</textarea>', response.content.decode()).group(1)


def _sealed_in_the_database(organization) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT callback_secret FROM {TaxSettings._meta.db_table} WHERE organization_id = %s",
                       [organization.pk])
        return cursor.fetchone()[0]


def test_saving_splits_the_biller_id_and_shows_the_new_secret_once(clerk, clerk_user, new_org):
    # Thai digits and the bank's spacing are accepted
    response = clerk.post(_url(new_org), {"biller_id": "๐๙๙๔ ๐๐๐๑ ๒๓๔๕๖ ๐๑", "payee_name": "อบต.คำใหญ่"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = _shown(response)
    assert f'id="shown-once-next" href="/{new_org.slug}/setup/finish/"' in response.content.decode()
    # the callback address to give the bank is whole, as the bank's form asks for it
    assert f"http://testserver/taxpay/callback/{new_org.slug}/" in response.content.decode()
    new_org.refresh_from_db()
    row = TaxSettings.objects.get(organization=new_org)
    assert new_org.tax_id == "0994000123456" and row.biller_suffix == "01" and row.biller_id == BILLER
    assert row.payee_name == "อบต.คำใหญ่"
    assert row.callback_secret == secret and len(secret) >= 40
    assert secret not in _sealed_in_the_database(new_org), "kept sealed, as the admin keeps it"
    assert TaxYear.objects.filter(organization=new_org, year=2568).exists()
    assert STEP in OrganizationSetup.objects.get(organization=new_org).steps_done
    settings_rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(TaxSettings))
    assert settings_rows.exists() and {r.actor_id for r in settings_rows} == {clerk_user.pk}
    # never shown again: the step's page has the biller ID, not the secret
    page = clerk.get(_url(new_org)).content.decode()
    assert BILLER in page and secret not in page


def test_saving_again_keeps_the_secret_unless_a_new_one_is_asked_for(clerk, new_org):
    first = _shown(clerk.post(_url(new_org), {"biller_id": BILLER}))
    again = clerk.post(_url(new_org), {"biller_id": "099400012345602", "payee_name": ""})
    assert again.status_code == 302 and again["Location"] == f"/{new_org.slug}/setup/finish/"
    row = TaxSettings.objects.get(organization=new_org)
    assert row.callback_secret == first and row.biller_suffix == "02"
    renewed = clerk.post(_url(new_org), {"biller_id": BILLER, "new_secret": "on"})
    assert renewed.status_code == 200 and _shown(renewed) != first
    row.refresh_from_db()
    assert row.callback_secret == _shown(renewed)


def test_a_biller_id_that_is_not_15_digits_is_a_400_that_keeps_what_was_typed(clerk, new_org):
    response = clerk.post(_url(new_org), {"biller_id": "0994-0001", "payee_name": "อบต.คำใหญ่"})
    page = response.content.decode()
    assert response.status_code == 400 and "15 หลัก" in page
    assert 'value="0994-0001"' in page and 'value="อบต.คำใหญ่"' in page
    assert not TaxSettings.objects.filter(organization=new_org).exists()
    assert not TaxYear.objects.filter(organization=new_org).exists()


def test_skipping_sets_nothing_up(clerk, new_org):
    assert clerk.post(_url(new_org), {"skip": "1"}).status_code == 302
    assert not TaxSettings.objects.filter(organization=new_org).exists()
    assert STEP in OrganizationSetup.objects.get(organization=new_org).steps_skipped


def test_another_organizations_clerk_and_finance_staff_are_refused(new_org):
    for user in (staff(OrganizationFactory(), Role.ADMINISTRATOR), staff(new_org, Role.FINANCE)):
        client = Client()
        client.force_login(user)
        assert client.get(_url(new_org)).status_code == 403
        assert client.post(_url(new_org), {"biller_id": BILLER}).status_code == 403
    assert not TaxSettings.objects.filter(organization=new_org).exists()


def test_outside_a_request_the_rows_still_name_the_clerk(clerk_user, new_org):
    """No request middleware to name who acts (a command, a script): the step's save names its actor itself."""
    from portal import registry
    from portal.models import Organization
    from portal.onboarding import services

    step = next(s for s in registry.setup_steps() if s.key == STEP)
    form = step.form_class({"biller_id": BILLER}, organization=new_org)
    assert form.is_valid()
    shown = services.save_app_step(organization=new_org, step=step, form=form, actor=clerk_user)
    assert shown.value == TaxSettings.objects.get(organization=new_org).callback_secret
    for model in (TaxSettings, TaxYear, Organization):
        rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        if model is Organization:  # the tax ID set; the factory made the row before
            rows = rows.filter(action=LogEntry.Action.UPDATE)
        assert rows.exists() and {row.actor_id for row in rows} == {clerk_user.pk}, model
