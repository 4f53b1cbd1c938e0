"""Login brute force is locked out (admin and API Basic); security headers; API docs without a CDN; /healthz for
the container's healthcheck behind the production host and TLS settings."""

import base64
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from portal.models import Role
from tests.portal.factories import staff

PASSWORD = "pw-test-12345"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures_then_unlocks(org, settings):
    user = staff(org, Role.ADMINISTRATOR)
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _admin_login(other, user.username, PASSWORD).status_code == 302  # signed in from there before
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _admin_login(client, user.username, "wrong")
    locked = _admin_login(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # an address the user signed in from before is not locked out by this one (tests/portal/test_login_lockout.py)
    assert _admin_login(Client(REMOTE_ADDR="10.0.0.9"), user.username, PASSWORD).status_code == 302
    # the unlock path for administrators of the installation
    call_command("axes_reset_username", user.username)
    assert _admin_login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_locked_out_attempt_does_not_hash_the_password(org, settings, monkeypatch):
    user = staff(org, Role.ADMINISTRATOR)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _admin_login(client, user.username, "wrong")
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    monkeypatch.setattr(MD5PasswordHasher, "verify", lambda self, *a: calls.append(a) or True)
    assert _admin_login(client, user.username, PASSWORD).status_code == 429
    assert calls == []


def _basic(username, password):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.mark.django_db
def test_api_basic_auth_locks_out(org, settings):
    user = staff(org, Role.OFFICER)
    client = Client()
    assert client.get("/api/departments/", **_basic(user.username, PASSWORD)).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert client.get("/api/departments/", **_basic(user.username, "wrong")).status_code in (401, 403)
    response = client.get("/api/departments/", **_basic(user.username, PASSWORD))
    assert response.status_code in (401, 403, 429)
    call_command("axes_reset_username", user.username)
    assert client.get("/api/departments/", **_basic(user.username, PASSWORD)).status_code == 200


@pytest.mark.django_db
def test_content_security_policy_and_permissions_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
    assert "frame-ancestors" in policy and "object-src 'none'" in policy
    assert "geolocation=(self)" in response["Permissions-Policy"] and "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_api_docs_come_from_our_own_static_files(client, url):
    html = client.get(url).content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, html[:500]
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    assert any("drf_spectacular_sidecar" in s for s in sources), sources
    assert not re.search(r"<script>(?!\s*</script>)", html)  # no inline script for the CSP to allow


@pytest.mark.django_db
def test_healthz_answers_the_containers_healthcheck_behind_production_settings():
    with override_settings(ALLOWED_HOSTS=["portal.example.go.th"], SECURE_SSL_REDIRECT=True, DEBUG=False):
        client = Client()
        response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok" and body["checks"]["database"]["status"] == "ok"
        # everything else still refuses the unknown host / redirects to HTTPS
        assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400
        assert client.get("/", HTTP_HOST="portal.example.go.th").status_code == 301


@pytest.mark.django_db
def test_healthz_reports_a_dead_database_as_503(monkeypatch):
    from portal.web import health

    def broken():
        raise OSError("gone")

    monkeypatch.setattr(health, "check_database", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["database"]["status"] == "down"
