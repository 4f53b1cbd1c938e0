"""An independent reader of Thai QR payloads for the tests: a TLV decoder written here (not the project's
encoder), the CRC checked with binascii.crc_hqx, and the PNG read back with zbar."""

import binascii
import io

NESTED = {"26", "27", "28", "29", "30", "31", "62"}


def decode_tlv(text: str) -> dict:
    fields, i = {}, 0
    while i < len(text):
        tag, length = text[i:i + 2], int(text[i + 2:i + 4])
        value = text[i + 4:i + 4 + length]
        assert len(value) == length, f"tag {tag} truncated"
        assert tag not in fields, f"tag {tag} repeated"
        fields[tag] = value
        i += 4 + length
    return fields


def decode_payload(payload: str) -> dict:
    """Fields of a payload, nested templates decoded; asserts tag 00 first, tag 63 last and a correct CRC."""
    assert payload.startswith("000201"), "tag 00 must come first"
    assert payload[-8:-4] == "6304", "tag 63 must come last"
    crc = binascii.crc_hqx(payload[:-4].encode("ascii"), 0xFFFF)
    assert f"{crc:04X}" == payload[-4:], "CRC mismatch"
    fields = decode_tlv(payload)
    return {tag: decode_tlv(value) if tag in NESTED else value for tag, value in fields.items()}


def read_png(png: bytes) -> str:
    from PIL import Image
    from pyzbar.pyzbar import ZBarSymbol, decode

    results = decode(Image.open(io.BytesIO(png)), symbols=[ZBarSymbol.QRCODE])
    assert len(results) == 1, "expected exactly one QR code"
    return results[0].data.decode("ascii")
