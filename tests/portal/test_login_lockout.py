"""Login lockout behind the recommended proxy: failures count against the username and the client address as
TRUSTED_PROXY_DEPTH reads it, and a flood from anywhere else never locks a user out of an address they signed in
from before."""

import pytest
from django.test import Client

from portal.models import Role
from tests.portal.factories import staff

PASSWORD = "pw-test-12345"
PROXY = "10.0.0.1"  # every request arrives from the proxy; the client is what it appended


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TRUSTED_PROXY_DEPTH = 1


def _login(address, username, password, forwarded_prefix=""):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{forwarded_prefix}{address}")
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.mark.django_db
def test_a_flood_never_locks_a_user_out_of_an_address_they_used_before(org, settings):
    user = staff(org, Role.ADMINISTRATOR)
    office = "198.51.100.7"
    assert _login(office, user.username, PASSWORD).status_code == 302  # signed in from the office before
    # An anonymous flood from one address, then from many (IPv6 addresses are cheap), each claiming to be the
    # office in the part of X-Forwarded-For the client writes itself.
    for _ in range(settings.AXES_FAILURE_LIMIT * 3):
        _login("203.0.113.5", user.username, "wrong", forwarded_prefix=f"{office}, ")
    for n in range(settings.AXES_FAILURE_LIMIT * 2):
        _login(f"2001:db8::{n + 1:x}", user.username, "wrong")
    # The office still signs in.
    assert _login(office, user.username, PASSWORD).status_code == 302
    # The flooding address is locked for this user, even with the right password.
    locked = _login("203.0.113.5", user.username, PASSWORD)
    assert locked.status_code == 429 and "เข้าสู่ระบบผิดหลายครั้งเกินไป" in locked.content.decode()
    # An address that never signed in as this user is locked too while the flood lasts: guessing the password
    # from many addresses is bounded as well.
    assert _login("192.0.2.44", user.username, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_failures_from_one_client_do_not_lock_another_behind_the_same_proxy(org, settings):
    user = staff(org, Role.ADMINISTRATOR)
    colleague = "198.51.100.20"
    assert _login(colleague, user.username, PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("203.0.113.9", user.username, "wrong")
    assert _login("203.0.113.9", user.username, PASSWORD).status_code == 429
    assert _login(colleague, user.username, PASSWORD).status_code == 302
