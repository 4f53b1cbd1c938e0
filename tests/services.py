"""Throwaway service instances for tests that stop or break a service (never the shared one)."""

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def celery_worker(broker_url: str, extra_env: dict | None = None):
    """A real Celery worker. On PostgreSQL a separate `celery worker` process reading the test database;
    on SQLite (in-memory test database) an in-process worker thread, since another process cannot see it."""
    from portal.celery import app

    if uses_postgres():
        db = settings.DATABASES["default"]
        env = {**os.environ, **(extra_env or {}),
               "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
               "REDIS_URL": broker_url, "CELERY_TASK_ALWAYS_EAGER": "0"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "solo", "-c", "1", "-l", "warning",
             "--without-heartbeat", "--without-mingle", "--without-gossip"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
    else:
        from celery.contrib.testing.worker import start_worker

        app.conf.update(broker_url=broker_url)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker


def wait_for(predicate, timeout=30.0, interval=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


__all__ = ["RedisServer", "celery_worker", "free_port", "wait_for", "uses_postgres", "threading"]


def reset_broker_connections(app):
    """Drop pooled broker connections so the next publish connects afresh (after a broker restart)."""
    from kombu import pools

    pools.reset()  # kombu keeps global producer pools keyed by connection
    app._pool = None
    app.amqp._producer_pool = None
