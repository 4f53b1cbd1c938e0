"""The tracking lookup with nothing typed goes back to the form that asks for a code, not to a "not found" page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_empty_lookup_returns_to_the_form(client, org):
    response = client.get(reverse("eservice:track-lookup", args=[org.slug]), {"code": "  "})
    assert response.status_code == 302
    assert response["Location"] == reverse("eservice:catalogue", args=[org.slug]) + "#track"
    page = client.get(response["Location"]).content.decode()
    assert 'id="track"' in page


def test_a_typed_code_goes_to_its_page(client, org):
    response = client.get(reverse("eservice:track-lookup", args=[org.slug]), {"code": "ky-2568-abc123"})
    assert response.status_code == 302 and response["Location"].endswith("/KY-2568-ABC123/")
