import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog

from portal.models import AuditTaggedByOrganization
from tests.portal.factories import DepartmentFactory


def test_every_audited_organization_model_tags_its_rows():
    """Untagged rows would be invisible to the organization's own staff in the audit-log admin."""
    for model in auditlog.get_models():
        if hasattr(model, "organization_path"):
            assert issubclass(model, AuditTaggedByOrganization), model


@pytest.mark.django_db
def test_audit_rows_carry_the_organization(org):
    dept = DepartmentFactory(organization=org)
    entry = LogEntry.objects.get_for_object(dept).get()
    assert entry.additional_data == {"organization_id": org.pk}
