"""Settings come from the environment: production mode is strict and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG",
                          "DJANGO_ALLOW_ASYNC_UNSAFE")}  # the browser tests set it for this process only
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=600)


def test_production_mode_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0",
                     SECRET_KEY="x" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
                     ALLOWED_HOSTS="portal.example.go.th")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_secret_key():
    result = _manage("check", DJANGO_DEBUG="0", ALLOWED_HOSTS="portal.example.go.th")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_database_and_redis_urls_switch_backends():
    code = ("from django.conf import settings as s;"
            "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL,"
            " s.CELERY_TASK_ALWAYS_EAGER)")
    default = _manage("shell", "--no-imports", "-c", code)
    assert default.stdout.split() == ["django.db.backends.sqlite3", "django.core.cache.backends.locmem.LocMemCache",
                                      "memory://", "True"], default.stderr
    switched = _manage("shell", "--no-imports", "-c", code, DATABASE_URL="postgres://u@db:5432/portal",
                       REDIS_URL="redis://cache:6379/0")
    assert switched.stdout.split() == ["django.db.backends.postgresql",
                                       "portal.cache.ResilientRedisCache",
                                       "redis://cache:6379/0", "False"], switched.stderr
