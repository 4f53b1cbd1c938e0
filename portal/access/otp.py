"""One-time codes sent to a contact a citizen gave (the phone or e-mail on a request, a complaint, the tax register,
a booking), to prove "this is my phone" on whatever device they are using now.

    sent = otp.send(request, purpose="eservice-track", subject=code, organization=org, channel="sms",
                    recipient=request_obj.phone, language=request_obj.language)
    if not sent.ok: show sent.message (429)
    ...
    result = otp.verify(request, purpose="eservice-track", subject=code, code=typed)
    if result.ok: grant access

- The code goes out through the notification outbox (portal.notifications), so it is sent after commit, by the
  same channels and backends as every other message.
- The code is kept hashed (HMAC under SECRET_KEY, bound to the purpose and subject) in the session of the browser
  that asked for it, with its expiry and the number of wrong tries: it is checked in that browser only, any
  worker can check it (sessions live in the database), and a new code replaces the old one.
- Limits, in the shared cache (portal.inputs.ratelimit): codes per contact (a phone is not flooded, whoever asks) and per
  client address; wrong tries per code. They hold even when RATELIMIT_ENABLE is off: they bound what an SMS costs
  and how often a six-digit code can be guessed.
- Deterministic in tests: codes come from `new_code()`, which a test patches; `now` can be passed in.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.inputs import ratelimit

SESSION_KEY = "otp"
DIGITS = 6
TTL_SECONDS = 10 * 60
MAX_TRIES = 5
# Codes one contact may receive (whoever asks): a short burst, then a day's ceiling.
PER_CONTACT_RATES = ("3/15m", "10/d")
# Codes one client address may ask for, to any contacts.
PER_CLIENT_RATES = ("10/h",)


def new_code() -> str:
    """A fresh code; tests patch this to get a known one."""
    return "".join(secrets.choice("0123456789") for _ in range(DIGITS))


def _digest(purpose: str, subject: str, code: str) -> str:
    key = f"{settings.SECRET_KEY}:otp".encode()
    return hmac.new(key, f"{purpose}\0{subject}\0{code}".encode(), hashlib.sha256).hexdigest()


def _slot(purpose: str, subject: str) -> str:
    return f"{purpose}:{subject}"


def _contact_key(recipient: str) -> str:
    # Phone numbers and e-mail addresses never appear in cache keys.
    return hashlib.sha256(recipient.strip().lower().encode()).hexdigest()[:32]


def normalize_code(text: str) -> str:
    from portal.thai import to_arabic_digits

    return "".join(ch for ch in to_arabic_digits(text or "") if ch.isdigit())


def mask_contact(recipient: str) -> str:
    """What the page may show of a contact: "08x-xxx-4567", "s***@example.com"."""
    recipient = (recipient or "").strip()
    if "@" in recipient:
        name, _at, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    digits = normalize_code(recipient)
    return f"{digits[:2]}x-xxx-{digits[-4:]}" if len(digits) >= 8 else "xxx"


@dataclass
class Result:
    ok: bool
    message: str = ""
    retry_after: int = 0


def _over(group: str, name: str, rates) -> int:
    """Count one use under each rate; the seconds to wait when one is used up, else 0."""
    wait = 0
    for rate in rates:
        allowed, retry_after = ratelimit.hit_subject(group=group, subject=name, rate=rate)
        if not allowed:
            wait = max(wait, retry_after)
    return wait


def charge(request, *, recipient: str) -> Result:
    """Count one code for `recipient` against the limits of send() (per contact, per client address) without
    sending anything. send() uses it; a page that must answer alike whether there is a contact (a lost tax notice
    for an ID not on the register) calls it with a stand-in for the contact, so the limit answers alike too."""
    wait = max(_over("otp-contact", _contact_key(recipient), PER_CONTACT_RATES),
               _over("otp-client", ratelimit.client_ip(request), PER_CLIENT_RATES))
    if wait:
        return Result(False, ratelimit.retry_message(wait), wait)
    return Result(True)


def send(request, *, purpose: str, subject: str, organization, channel: str, recipient: str,
         language: str | None = None, now: float | None = None) -> Result:
    """Send a fresh code for (purpose, subject) to `recipient` by `channel` ("sms" or "email")."""
    from portal.notifications.services import notify

    if channel not in ("sms", "email") or not recipient:
        return Result(False, _("ไม่มีช่องทางติดต่อสำหรับส่งรหัส"))
    counted = charge(request, recipient=recipient)
    if not counted.ok:
        return counted
    code = new_code()
    now = time.time() if now is None else now
    codes = dict(request.session.get(SESSION_KEY, {}))
    codes = {k: v for k, v in codes.items() if v.get("expires", 0) > now}  # drop the stale ones
    codes[_slot(purpose, subject)] = {"hash": _digest(purpose, subject, code), "expires": now + TTL_SECONDS,
                                      "tries": 0}
    request.session[SESSION_KEY] = codes
    notify(organization=organization, event="otp_code", channel=channel, recipient=recipient,
           context={"code": code, "minutes": TTL_SECONDS // 60, "organization": organization},
           language=language)
    return Result(True)


def verify(request, *, purpose: str, subject: str, code: str, now: float | None = None) -> Result:
    """Check a typed code against the one this browser asked for. A right code is used up; a wrong one costs one
    of MAX_TRIES, after which the code is void and a new one must be asked for."""
    now = time.time() if now is None else now
    codes = dict(request.session.get(SESSION_KEY, {}))
    slot = _slot(purpose, subject)
    entry = codes.get(slot)
    if entry is None or entry.get("expires", 0) <= now:
        codes.pop(slot, None)
        request.session[SESSION_KEY] = codes
        return Result(False, _("รหัสหมดอายุหรือยังไม่ได้ขอ กรุณาขอรหัสใหม่"))
    typed = normalize_code(code)
    if typed and hmac.compare_digest(entry["hash"], _digest(purpose, subject, typed)):
        codes.pop(slot)
        request.session[SESSION_KEY] = codes
        return Result(True)
    entry = {**entry, "tries": entry.get("tries", 0) + 1}
    if entry["tries"] >= MAX_TRIES:
        codes.pop(slot)
        request.session[SESSION_KEY] = codes
        return Result(False, _("ใส่รหัสผิดหลายครั้งเกินไป กรุณาขอรหัสใหม่"))
    codes[slot] = entry
    request.session[SESSION_KEY] = codes
    left = MAX_TRIES - entry["tries"]
    return Result(False, ngettext("รหัสไม่ถูกต้อง (ลองได้อีก %(n)s ครั้ง)", "รหัสไม่ถูกต้อง (ลองได้อีก %(n)s ครั้ง)", left)
                  % {"n": left})


def pending(request, *, purpose: str, subject: str, now: float | None = None) -> bool:
    """Whether this browser holds a live code for (purpose, subject): the page then shows the box to type it."""
    now = time.time() if now is None else now
    entry = request.session.get(SESSION_KEY, {}).get(_slot(purpose, subject))
    return bool(entry) and entry.get("expires", 0) > now
