"""LINE webhook: recorded webhook bodies, signed like LINE signs them, against a local fake LINE server."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from complaints import line, services
from complaints.demo import ensure_categories
from complaints.models import Complaint, LineConversation
from portal.models import Notification
from portal.notifications import line as line_client

from .factories import jpeg_bytes

pytestmark = pytest.mark.django_db
BODIES = Path(__file__).parent / "line_webhooks"
SECRET = "test-channel-secret-0123456789"
IMAGE = jpeg_bytes(size=(120, 90), exif_gps=True)


class FakeLine(BaseHTTPRequestHandler):
    calls: list

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.calls.append(("GET", self.path, self.headers.get("Authorization"), None))
        if self.path.startswith("/v2/bot/message/") and self.path.endswith("/content"):
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(IMAGE)))
            self.end_headers()
            self.wfile.write(IMAGE)
        else:
            self.send_response(404)
            self.end_headers()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append(("POST", self.path, self.headers.get("Authorization"), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")


@pytest.fixture
def fake_line(settings):
    handler = type("Handler", (FakeLine,), {"calls": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.LINE_API_BASE = base
    settings.LINE_DATA_API_BASE = base
    yield handler.calls
    server.shutdown()
    server.server_close()


@pytest.fixture
def line_org(org):
    cache.clear()  # the webhook's redelivery guard lives in the cache
    org.line_channel_secret = SECRET
    org.line_channel_access_token = "test-access-token"
    org.save()
    ensure_categories(org)
    return org


def sign(body: bytes, secret=SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def post(client, org, name, secret=SECRET, signature=None):
    body = (BODIES / f"{name}.json").read_bytes()
    return client.post(reverse("line-webhook", args=[org.slug]), data=body, content_type="application/json",
                       headers={"X-Line-Signature": signature if signature is not None else sign(body, secret)})


# Signatures made outside Python (`openssl dgst -sha256 -hmac SECRET -binary | base64`), so the check is held to
# LINE's rule, not to a copy of our own code. The first is RFC 4231 test case 2 (HMAC-SHA256, key "Jefe").
SIGNATURE_VECTORS = [
    ("Jefe", b"what do ya want for nothing?", "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="),
    (SECRET, b'{"events":[]}', "x11f0QEm7wdvCSAWQ1bLIYzFILDX7rSD9mwQHxJ/KZs="),
    (SECRET, (BODIES / "text.json").read_bytes(), "Sr0W0Y7uqUAPzBFfYIaJyXiEgXFjiWnn2g02BNfRwng="),
]


@pytest.mark.parametrize("secret,body,signature", SIGNATURE_VECTORS)
def test_signature_check_against_fixed_vectors(secret, body, signature):
    assert line_client.verify_signature(secret, body, signature)
    assert sign(body, secret) == signature  # the helper the webhook tests sign with follows the same rule
    assert not line_client.verify_signature(secret, body + b" ", signature)
    assert not line_client.verify_signature(secret + "x", body, signature)
    assert not line_client.verify_signature(secret, body, signature.replace("=", ""))
    assert not line_client.verify_signature(secret, body, "")
    assert not line_client.verify_signature("", body, signature)


def test_bad_or_missing_signature_is_rejected(client, line_org, fake_line):
    assert post(client, line_org, "text", signature="").status_code == 403
    assert post(client, line_org, "text", secret="wrong-secret").status_code == 403
    assert post(client, line_org, "text", signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert LineConversation.objects.count() == 0 and fake_line == []


def test_conversation_builds_a_complaint_and_replies_with_code(client, line_org, fake_line,
                                                               django_capture_on_commit_callbacks):
    assert post(client, line_org, "text").status_code == 200
    first_reply = fake_line[-1][3]["messages"][0]["text"]
    assert "ตำแหน่ง" in first_reply
    assert first_reply.startswith(line.PRIVACY_NOTICE) and "หยุด" in first_reply and "stop" in first_reply
    assert fake_line[-1][3]["replyToken"] == "38ef843bde154d9b91c21320ffd17a0f"
    assert post(client, line_org, "image").status_code == 200
    assert Complaint.objects.count() == 0
    assert post(client, line_org, "location").status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == "line" and complaint.category.code == "street_light"
    assert complaint.line_user_id == "U4af4980629a1b2c3d4e5f60718293a4b" and complaint.notify_channel == "line"
    assert "ไฟถนนดับ" in complaint.description and str(complaint.latitude) == "16.432600"
    assert complaint.photos.count() == 1  # fetched from the (fake) content API
    gets = [c for c in fake_line if c[0] == "GET"]
    assert gets[0][1] == "/v2/bot/message/354718705033693859/content" and gets[0][2] == "Bearer test-access-token"
    reply = fake_line[-1]
    assert reply[1] == "/v2/bot/message/reply" and complaint.tracking_code in reply[3]["messages"][0]["text"]

    # A redelivered event is applied once.
    assert post(client, line_org, "location").status_code == 200
    assert Complaint.objects.count() == 1

    # Later status changes go out as LINE pushes through the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(complaint=complaint, to_status="accepted")
    notification = Notification.objects.get(channel="line")
    assert notification.status == "sent"
    push = fake_line[-1]
    assert push[1] == "/v2/bot/message/push" and push[3]["to"] == complaint.line_user_id
    assert "รับเรื่องไว้พิจารณา" in push[3]["messages"][0]["text"]


def test_location_outside_area_is_refused(client, line_org, fake_line):
    post(client, line_org, "text")
    body = json.loads((BODIES / "location.json").read_text())
    body["events"][0]["message"].update(latitude=13.75, longitude=100.5)
    body["events"][0]["webhookEventId"] = "other-id"
    raw = json.dumps(body).encode()
    response = client.post(reverse("line-webhook", args=[line_org.slug]), data=raw, content_type="application/json",
                           headers={"X-Line-Signature": sign(raw)})
    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    assert "นอกพื้นที่" in fake_line[-1][3]["messages"][0]["text"]


def test_malformed_json_with_valid_signature_is_400(client, line_org):
    raw = b"not json"
    response = client.post(reverse("line-webhook", args=[line_org.slug]), data=raw, content_type="application/json",
                           headers={"X-Line-Signature": sign(raw)})
    assert response.status_code == 400


def test_organizations_do_not_share_secrets(client, line_org, other_org, fake_line):
    other_org.line_channel_secret = "another-secret"
    other_org.save()
    assert post(client, other_org, "text").status_code == 403  # signed with line_org's secret


def send(client, org, event: dict):
    raw = json.dumps({"destination": "x", "events": [event]}).encode()
    return client.post(reverse("line-webhook", args=[org.slug]), data=raw, content_type="application/json",
                       headers={"X-Line-Signature": sign(raw)})


USER = {"type": "user", "userId": "U4af4980629a1b2c3d4e5f60718293a4b"}


def test_follow_states_privacy_notice_then_later_replies_do_not_repeat_it(client, line_org, fake_line):
    assert send(client, line_org, {"type": "follow", "replyToken": "r1", "source": USER}).status_code == 200
    assert line.PRIVACY_NOTICE in fake_line[-1][3]["messages"][0]["text"]
    post(client, line_org, "text")
    assert line.PRIVACY_NOTICE not in fake_line[-1][3]["messages"][0]["text"]


def test_stop_and_unfollow_end_line_updates(client, line_org, fake_line):
    post(client, line_org, "text")
    post(client, line_org, "location")
    complaint = Complaint.objects.get()
    assert complaint.notify_channel == "line"
    send(client, line_org, {"type": "message", "replyToken": "r2", "source": USER,
                            "message": {"type": "text", "id": "1", "text": "หยุด"}})
    complaint.refresh_from_db()
    assert complaint.line_user_id == "" and complaint.notify_channel == ""
    assert "หยุดการแจ้งเตือน" in fake_line[-1][3]["messages"][0]["text"]
    # No push for later changes.
    services.change_status(complaint=complaint, to_status="accepted")
    assert not Notification.objects.filter(channel="line").exists()

    other = services.submit_complaint(organization=line_org, category=complaint.category, description="x",
                                      latitude=line_org.latitude, longitude=line_org.longitude,
                                      line_user_id=USER["userId"], notify_channel="line", pdpa_consent=True)
    send(client, line_org, {"type": "unfollow", "source": USER})
    other.refresh_from_db()
    assert other.line_user_id == "" and other.notify_channel == ""


def test_nul_characters_from_line_are_dropped(client, line_org, fake_line):
    send(client, line_org, {"type": "follow", "replyToken": "r0", "source": USER})
    assert send(client, line_org, {"type": "message", "replyToken": "r1", "source": USER, "webhookEventId": "n1",
                                   "message": {"type": "text", "id": "1", "text": "ไฟดับ\u0000หน้าวัด"}}).status_code == 200
    post(client, line_org, "location")
    assert Complaint.objects.get().description == "ไฟดับหน้าวัด"
