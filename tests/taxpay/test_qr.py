from decimal import Decimal

import pytest

from portal.outputs.qr import png_bytes
from taxpay import qr
from tests.taxpay.qrcheck import decode_payload, read_png

VECTORS = {
    "bill_static": "00020101021130550016A0000006770101120115099999999999990021211122233344453037645802TH63043EE7",
    "bill_dynamic": "00020101021230650016A00000067701011201150994000165501000212123456789012030667042953037645802TH54073649.2263044534",
}


def test_crc_check_value():
    assert qr.crc16("123456789") == "29B1"


@pytest.mark.parametrize("vector", VECTORS.values())
def test_crc_reproduces_every_reference_vector(vector):
    assert qr.crc16(vector[:-4]) == vector[-4:]


def test_bill_payment_static_vector():
    payload = qr.bill_payment_payload(biller_id="099999999999990", ref1="111222333444")
    assert decode_payload(payload) == decode_payload(VECTORS["bill_static"])
    assert payload == VECTORS["bill_static"]


def test_bill_payment_dynamic_vector():
    payload = qr.bill_payment_payload(biller_id="099400016550100", ref1="123456789012", ref2="670429",
                                      amount=Decimal("3649.22"))
    fields = decode_payload(payload)
    assert fields == decode_payload(VECTORS["bill_dynamic"])
    assert fields["01"] == "12"
    assert fields["30"] == {"00": "A000000677010112", "01": "099400016550100", "02": "123456789012", "03": "670429"}
    assert (fields["53"], fields["54"], fields["58"]) == ("764", "3649.22", "TH")
    assert payload == VECTORS["bill_dynamic"]


def test_amount_always_two_decimals():
    fields = decode_payload(qr.bill_payment_payload(biller_id="099400016550100", ref1="LB2568000001", amount=200))
    assert fields["54"] == "200.00"


@pytest.mark.parametrize("kwargs", [
    {"biller_id": "09940001655010", "ref1": "A1"},          # 14 digits
    {"biller_id": "099400016550100", "ref1": "ab12"},       # lower case
    {"biller_id": "099400016550100", "ref1": "A" * 21},     # too long
    {"biller_id": "099400016550100", "ref1": "A1", "ref2": "25-68"},
    {"biller_id": "099400016550100", "ref1": "A1", "amount": 0},
])
def test_invalid_inputs_refused(kwargs):
    with pytest.raises(qr.PayloadError):
        qr.bill_payment_payload(**kwargs)


@pytest.mark.parametrize("vector", VECTORS.values())
def test_png_reads_back_with_zbar(vector):
    assert read_png(png_bytes(vector)) == vector


def test_decoder_catches_a_wrong_crc():
    broken = VECTORS["bill_dynamic"][:-1] + "5"
    with pytest.raises(AssertionError):
        decode_payload(broken)
