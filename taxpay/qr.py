"""Thai QR payment payloads (EMVCo merchant-presented QR as the Bank of Thailand's standard uses it) and images.

Each field is a 2-digit tag, a 2-digit length and the value; tag 63 carries CRC-16/CCITT-FALSE over everything
before it, the literal "6304" included. Tag order follows the Thai banks' generators (00, 01, the account
template, 53, 58, 54), so the reference vectors reproduce byte for byte.
"""

from __future__ import annotations

import binascii
import re
from decimal import Decimal

BILL_PAYMENT_AID = "A000000677010112"
CURRENCY_THB = "764"
COUNTRY = "TH"

REFERENCE_RE = re.compile(r"^[A-Z0-9]{1,20}$")
BILLER_ID_RE = re.compile(r"^\d{15}$")


class PayloadError(ValueError):
    pass


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise PayloadError(f"bad tag {tag!r}")
    if len(value) > 99:
        raise PayloadError(f"value of tag {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) as 4 upper-case hex digits."""
    return f"{binascii.crc_hqx(text.encode('ascii'), 0xFFFF):04X}"


def with_crc(body: str) -> str:
    body += "6304"
    return body + crc16(body)


def format_amount(amount) -> str:
    amount = Decimal(amount)
    if amount <= 0:
        raise PayloadError("amount must be positive")
    return f"{amount.quantize(Decimal('0.01'))}"


def bill_payment_payload(*, biller_id: str, ref1: str, ref2: str = "", amount=None) -> str:
    """Bill payment (tag 30). With an amount the QR is dynamic (01 = 12): one amount, one payment."""
    if not BILLER_ID_RE.match(biller_id):
        raise PayloadError("biller ID must be 15 digits (13-digit tax ID + 2-digit suffix)")
    for name, ref in (("ref1", ref1), ("ref2", ref2)):
        if (ref or name == "ref1") and not REFERENCE_RE.match(ref or ""):
            raise PayloadError(f"{name} must be 1-20 upper-case letters or digits")
    account = tlv("00", BILL_PAYMENT_AID) + tlv("01", biller_id) + tlv("02", ref1)
    if ref2:
        account += tlv("03", ref2)
    body = tlv("00", "01") + tlv("01", "11" if amount is None else "12") + tlv("30", account)
    body += tlv("53", CURRENCY_THB) + tlv("58", COUNTRY)
    if amount is not None:
        body += tlv("54", format_amount(amount))
    return with_crc(body)
