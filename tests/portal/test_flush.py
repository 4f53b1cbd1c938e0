"""The suite's flush between committing tests (tests/conftest.py: DELETE instead of PostgreSQL's TRUNCATE) leaves
every table empty but the content types and permissions, as a TRUNCATE would have, and those are all still there."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from tests.conftest import KEPT_BY_FLUSH
from tests.portal.factories import DepartmentFactory, UserFactory


@pytest.mark.postgres  # the flush it checks is PostgreSQL's (SQLite's is Django's own)
@pytest.mark.django_db(transaction=True)
def test_flush_empties_every_table_and_keeps_content_types(org):
    DepartmentFactory(organization=org)
    UserFactory()
    kinds, permissions = ContentType.objects.count(), Permission.objects.count()
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)  # as a test's teardown calls it
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        left = {}
        for table in tables:
            if table not in KEPT_BY_FLUSH:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                if count := cursor.fetchone()[0]:
                    left[table] = count
    assert left == {}
    assert (ContentType.objects.count(), Permission.objects.count()) == (kinds, permissions) and kinds > 50
