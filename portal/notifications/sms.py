"""SMS backends: one interface, a console/file backend for development, a memory one for tests.

A real gateway (e.g. a Thai SMS provider's HTTP API) is one more subclass named in SMS_BACKEND.
"""

import json
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class BaseSMSBackend:
    def send(self, phone: str, text: str, *, idempotency_key: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    def send(self, phone, text, *, idempotency_key):
        print(f"[SMS to {phone}] {text}", flush=True)


class FileSMSBackend(BaseSMSBackend):
    def send(self, phone, text, *, idempotency_key):
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        record = {"to": phone, "text": text, "key": idempotency_key, "at": timezone.now().isoformat()}
        with (folder / "sms.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


class LocmemSMSBackend(BaseSMSBackend):
    outbox: list[dict] = []
    _lock = threading.Lock()

    def send(self, phone, text, *, idempotency_key):
        with self._lock:
            LocmemSMSBackend.outbox.append({"to": phone, "text": text, "key": idempotency_key})


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()
