"""A DCAT catalogue page is built and serialised once per state (its ETag) and kept: harvesters ask for the same
pages again, and building a hundred datasets' graph takes seconds."""

from unittest import mock

import pytest

from opendata import dcat
from tests.opendata.factories import make_dataset
from tests.portal.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/opendata/catalog.ttl", "/opendata/catalog.jsonld"])
def test_a_catalogue_page_is_built_once_per_state(client, path, django_assert_max_num_queries):
    org = OrganizationFactory()
    make_dataset(org, name="a-one")
    first = client.get(path)
    assert first.status_code == 200 and b"a-one" in first.content
    with mock.patch.object(dcat, "build_graph", wraps=dcat.build_graph) as built:
        # what the page depends on (its datasets' count and latest change, the consents), read once
        with django_assert_max_num_queries(2):
            again = client.get(path)
        assert again.content == first.content and not built.called
        make_dataset(org, name="b-two")
        changed = client.get(path)
    assert built.called and b"b-two" in changed.content and changed["ETag"] != first["ETag"]
