"""Settings come from the environment: production mode is strict and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# Left out of the child's environment: what the tests set, pytest's tests.settings (the child reads portal.settings)
# and what the browser tests set for this process only.
ENVIRONMENT = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG", "PERSONAL_ID_HASH_KEY",
               "FIELD_ENCRYPTION_KEYS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DJANGO_SETTINGS_MODULE",
               "DJANGO_ALLOW_ASYNC_UNSAFE")


def _manage(*args, **env):
    return _manage_like([sys.executable, "manage.py", *args], **env)


def _manage_like(command, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    return subprocess.run(command, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=600)


def _python(code, **env):
    """`code` run by a new Python process on portal.settings, without starting the apps (cheaper than `manage.py
    shell` for what reads settings and the sealing helpers only)."""
    return _manage_like([sys.executable, "-c", code], DJANGO_SETTINGS_MODULE="portal.settings", **env)


PRODUCTION = {"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
              "PERSONAL_ID_HASH_KEY": "y" * 40, "ALLOWED_HOSTS": "portal.example.go.th",
              "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1maWVsZC1lbmNyeXB0aW9uLWtleSE="}
SHOW = "from django.conf import settings as s; print({})"


def test_production_mode_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_secret_key():
    result = _manage("check", **{k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_mode_refuses_to_start_without_personal_id_hash_key():
    """The citizen-ID hash key never falls back to SECRET_KEY in production (rotating one must not orphan the
    other's hashes)."""
    env = {k: v for k, v in PRODUCTION.items() if k != "PERSONAL_ID_HASH_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0 and "PERSONAL_ID_HASH_KEY" in result.stderr
    empty = _manage("check", **{**PRODUCTION, "PERSONAL_ID_HASH_KEY": ""})
    assert empty.returncode != 0 and "PERSONAL_ID_HASH_KEY" in empty.stderr


def test_production_mode_refuses_to_start_without_its_own_encryption_keys():
    """Sealed personal data (corruption reporters' contact) never depends on SECRET_KEY in production: without
    FIELD_ENCRYPTION_KEYS, or with a value that is not a Fernet key, the portal does not start."""
    missing = _manage("check", **{k: v for k, v in PRODUCTION.items() if k != "FIELD_ENCRYPTION_KEYS"})
    assert missing.returncode != 0 and "FIELD_ENCRYPTION_KEYS is empty" in missing.stderr
    bad = _manage("check", **{**PRODUCTION, "FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"})
    assert bad.returncode != 0 and "not a Fernet key" in bad.stderr


def test_sealed_values_survive_a_secret_key_rotation_in_production():
    seal = "from portal.outputs.crypto import seal; print(seal('081-234-5678'))"
    token = _python(seal, **PRODUCTION).stdout.strip()
    assert token.startswith("fernet:")
    rotated = {**PRODUCTION, "SECRET_KEY": "a-brand-new-secret-key-after-rotation-" + "z" * 30}
    code = f"from portal.outputs.crypto import unseal; print(unseal({token!r}))"
    assert _python(code, **rotated).stdout.strip() == "081-234-5678"


def test_production_reads_its_keys_and_secure_cookies_can_be_turned_off_for_a_plain_http_lab():
    code = SHOW.format("s.PERSONAL_ID_HASH_KEY == 'y' * 40, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE")
    production = _python(code, **PRODUCTION)
    assert production.stdout.split() == ["True", "True", "True"], production.stderr
    lab = _python(code, **PRODUCTION, SESSION_COOKIE_SECURE="0", SECURE_SSL_REDIRECT="0")
    assert lab.stdout.split() == ["True", "False", "False"], lab.stderr  # the CSRF cookie follows the session's


def test_database_and_redis_urls_switch_backends():
    code = ("from django.conf import settings as s;"
            "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL,"
            " s.CELERY_TASK_ALWAYS_EAGER)")
    default = _python(code)
    assert default.stdout.split() == ["django.db.backends.sqlite3", "django.core.cache.backends.locmem.LocMemCache",
                                      "memory://", "True"], default.stderr
    switched = _python(code, DATABASE_URL="postgres://u@db:5432/portal", REDIS_URL="redis://cache:6379/0")
    assert switched.stdout.split() == ["django.db.backends.postgresql",
                                       "portal.machinery.cache.ResilientRedisCache",
                                       "redis://cache:6379/0", "False"], switched.stderr


def test_test_settings_hash_fast_and_propagate_task_errors():
    """The suite runs on tests.settings: the cheap hasher, and an eager task's exception reaches the test."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher

    from portal.celery import app

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "tests.settings"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert get_hasher().algorithm == "md5"
    assert app.conf.task_always_eager and app.conf.task_eager_propagates

    @app.task(name="tests.settings_probe_fails")
    def fails():
        raise ValueError("the task failed")

    with pytest.raises(ValueError, match="the task failed"):
        fails.delay()
