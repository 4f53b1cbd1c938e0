import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import path
from django_ratelimit.decorators import ratelimit

from portal.urls import urlpatterns as portal_urlpatterns


@pytest.mark.django_db
def test_openapi_schema_is_valid_and_warning_free(tmp_path, capsys):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    assert "openapi: 3" in text and "/api/organizations/" in text


@ratelimit(key="ip", rate="2/h", block=True)  # hourly window: no boundary inside the test
def limited_view(request):
    return HttpResponse("ok")


urlpatterns = [path("limited", limited_view), *portal_urlpatterns]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_rate_limited_view_answers_429_in_thai(client, settings):
    settings.RATELIMIT_ENABLE = True
    codes = [client.get("/limited", REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert codes[:2] == [200, 200] and codes[-1] == 429
    response = client.get("/limited", REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT="text/html")
    assert response.status_code == 429 and "มีคำขอมากเกินไป" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_api_clients_are_throttled(client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "1000/min"})
    codes = [client.get("/api/organizations/", REMOTE_ADDR="198.51.100.7").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
