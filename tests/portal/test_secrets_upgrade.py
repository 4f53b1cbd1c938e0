"""Upgrading a database from before the sealed secret fields (portal and taxpay 0007): the values already stored
are sealed, the audit rows that recorded them in clear are blanked, and going back unseals the columns."""

from django.db import connection

from portal.outputs.crypto import REDACTED
from tests.migrations import migrate
from tests.portal.test_secrets import every_cell


def test_upgrading_seals_the_values_already_stored_and_blanks_them_in_old_audit_rows(scratch_db):
    """A database from before the sealed fields: its clear values are sealed and the audit rows that recorded
    them keep only set/not-set; going back unseals the column again."""
    before = [("portal", "0006_plural_names"), ("taxpay", "0006_parcel_use_parts"),
              ("auditlog", "0017_add_actor_email"), ("contenttypes", "0002_remove_content_type_name")]
    sealing = [("portal", "0007_sealed_secrets"), ("taxpay", "0007_sealed_secrets")]
    secrets = ("old-line-Gt55", "old-token-Gt56", "old-cb-Gt57")
    old = migrate(before)  # plain text columns
    org_id = old.get_model("portal", "Organization").objects.create(
        slug="old", name_th="เก่า", kind="sao", district="เมือง", province="ขอนแก่น", code_prefix="OL",
        line_channel_secret="old-line-Gt55", line_channel_access_token="old-token-Gt56").pk
    old.get_model("taxpay", "TaxSettings").objects.create(organization_id=org_id, callback_secret="old-cb-Gt57")
    settings_type = old.get_model("contenttypes", "ContentType").objects.create(app_label="taxpay", model="taxsettings")
    # an audit row as django-auditlog wrote it before, values in clear
    old.get_model("auditlog", "LogEntry").objects.create(
        content_type_id=settings_type.pk, object_pk="1", object_repr="x", action=1,
        changes={"callback_secret": ["", "old-cb-Gt57"], "payee_name": ["", "ก"]},
        changes_text="callback_secret: old-cb-Gt57")
    new = migrate(sealing)
    assert sorted({table for table, cell in every_cell() for secret in secrets if secret in cell}) == []
    organization = new.get_model("portal", "Organization").objects.get(slug="old")
    assert organization.line_channel_access_token == "old-token-Gt56"  # read back through the sealed field
    tax_settings = new.get_model("taxpay", "TaxSettings").objects.get(organization_id=org_id)
    assert tax_settings.callback_secret == "old-cb-Gt57"
    entry = new.get_model("auditlog", "LogEntry").objects.get(object_repr="x")
    assert entry.changes == {"callback_secret": ["", REDACTED], "payee_name": ["", "ก"]}
    assert entry.changes_text == ""
    # and back: the column is readable by the old code again
    migrate(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT callback_secret FROM taxpay_taxsettings WHERE organization_id = %s", [org_id])
        assert cursor.fetchone() == ("old-cb-Gt57",)
