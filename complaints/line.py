"""LINE Messaging API intake: a signed webhook turns a short conversation (text, location, photos) into a
complaint and replies with the tracking code. Later status changes go out as pushes through the outbox."""

import json
import logging

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.inputs import uploads
from portal.models import Organization
from portal.notifications import line as client

from . import services
from .models import MAX_PHOTOS, Category, Complaint

log = logging.getLogger(__name__)

CANCEL_WORDS = {"ยกเลิก", "cancel"}
STOP_WORDS = {"หยุด", "หยุดแจ้งเตือน", "stop"}
# Stated in the first reply a LINE user gets (follow or first message): what is kept, why, and how to stop. A
# complaint is only filed after the user has been told this and chose to go on, which is the consent recorded.
PRIVACY_NOTICE = (
    "ข้อมูลที่ท่านส่ง (ข้อความ รูป ตำแหน่ง และบัญชี LINE) ใช้เพื่อรับเรื่องและแจ้งความคืบหน้าเรื่องนี้เท่านั้น "
    "ตาม พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 การส่งข้อมูลต่อถือว่ายินยอม "
    "พิมพ์ \"ยกเลิก\" เพื่อยกเลิกเรื่องที่กำลังแจ้ง พิมพ์ \"หยุด\" เพื่อหยุดรับการแจ้งเตือนและลบบัญชี LINE ออกจากเรื่องของท่าน\n"
    "Privacy: what you send (text, photos, location, LINE account) is used only to handle this complaint and send "
    "you updates. Sending more means you agree. Type \"cancel\" to drop the report in progress, \"stop\" to stop "
    "updates and remove your LINE account from your complaints."
)
# Words in the citizen's message -> default category code (the officer can re-categorise).
KEYWORDS = [
    (("ไฟฟ้า", "ไฟถนน", "ไฟดับ", "เสาไฟ", "หลอดไฟ"), "street_light"),
    (("ประปา", "น้ำไม่ไหล", "ท่อแตก"), "water_supply"),
    (("ถนน", "ทางเท้า", "หลุม"), "road"),
    (("ขยะ",), "garbage"),
    (("หอกระจายข่าว", "เสียงตามสาย", "ลำโพง"), "loudspeaker"),
    (("ท่อระบาย", "น้ำท่วม", "น้ำขัง"), "drain"),
    (("สุนัข", "หมา", "แมว", "งู"), "animal"),
    (("เสียงดัง", "กลิ่น", "ควัน", "รำคาญ"), "nuisance"),
]


def reply(organization, reply_token: str, text: str) -> None:
    if not reply_token:
        return
    try:
        client.reply(organization, reply_token, text)
    except requests.RequestException as exc:
        # The complaint is saved either way; the citizen also sees it through later pushes.
        log.warning("LINE reply failed for %s: %s", organization.slug, exc)


def fetch_image(organization, message_id: str) -> bytes:
    data = client.message_content(organization, message_id, max_bytes=settings.UPLOAD_MAX_BYTES)
    if data is None:
        raise ValidationError("image too large")
    return data


def guess_category(organization, text: str) -> Category | None:
    categories = {c.code: c for c in Category.objects.filter(organization=organization, is_active=True,
                                                             is_protected=False)}
    for words, code in KEYWORDS:
        if code in categories and any(w in text for w in words):
            return categories[code]
    return categories.get("other") or next(iter(categories.values()), None)


def handle_event(organization, event: dict) -> str | None:
    """Apply one webhook event; returns the text to reply with (or None)."""
    source = event.get("source") or {}
    user_id = source.get("userId") or ""
    if event.get("type") == "unfollow" and user_id:
        services.stop_line_updates(organization=organization, line_user_id=user_id)  # blocked: no more pushes
        return None
    if event.get("type") == "follow":
        if user_id:
            services.start_line_conversation(organization=organization, line_user_id=user_id)
        return ("สวัสดีครับ แจ้งเรื่องร้องเรียนได้ที่นี่ 1) พิมพ์รายละเอียด 2) ส่งรูปถ่าย (ถ้ามี) 3) ส่งตำแหน่ง (Location) "
                "ระบบจะตอบรหัสติดตามให้\n\n" + PRIVACY_NOTICE)
    if event.get("type") != "message" or not user_id:
        return None
    message = event.get("message") or {}
    with transaction.atomic():
        conversation = services.lock_line_conversation(organization=organization, line_user_id=user_id)
        reply = _handle_message(organization, conversation, user_id, message)
        if not (conversation.draft or {}).get("noticed"):
            # First contact without a follow event (e.g. the account was added long ago): the notice goes first and
            # the draft is kept, but nothing is filed until the user has seen it.
            services.save_line_draft(conversation=conversation, draft={**(conversation.draft or {}), "noticed": True})
            return PRIVACY_NOTICE + ("\n\n" + reply if reply else "")
        return reply


def _handle_message(organization, conversation, user_id, message) -> str | None:
    draft = dict(conversation.draft or {})
    noticed = bool(draft.get("noticed"))

    def reset():
        services.save_line_draft(conversation=conversation, draft={"noticed": True} if noticed else {})

    kind = message.get("type")
    if kind == "text":
        text = str(message.get("text") or "").replace("\x00", "").strip()
        if text.lower() in CANCEL_WORDS:
            reset()
            return _("ยกเลิกเรื่องที่กำลังแจ้งแล้ว")
        if text.lower() in STOP_WORDS:
            reset()
            n = services.stop_line_updates(organization=organization, line_user_id=user_id)
            return _("หยุดการแจ้งเตือนและลบบัญชี LINE ออกจาก %(n)s เรื่องแล้ว") % {"n": n}
        draft["text"] = (draft.get("text", "") + "\n" + text).strip()[:4000]
    elif kind == "location":
        draft["lat"], draft["lng"] = message.get("latitude"), message.get("longitude")
        draft["address"] = str(message.get("address") or message.get("title") or "").replace("\x00", "")[:300]
        try:
            services.check_location(organization, draft["lat"], draft["lng"])
        except ValidationError as exc:
            draft.pop("lat"), draft.pop("lng")
            services.save_line_draft(conversation=conversation, draft=draft)
            return " ".join([*exc.messages, _("กรุณาส่งตำแหน่งใหม่")])
    elif kind == "image":
        draft.setdefault("images", [])
        if len(draft["images"]) < MAX_PHOTOS:
            draft["images"].append(message.get("id"))
    else:
        return _("ขออภัย รับได้เฉพาะข้อความ รูปภาพ และตำแหน่ง")

    if not draft.get("text"):
        services.save_line_draft(conversation=conversation, draft=draft)
        return _("กรุณาพิมพ์รายละเอียดของปัญหา")
    if draft.get("lat") is None:
        services.save_line_draft(conversation=conversation, draft=draft)
        return _("ได้รับแล้ว กรุณาส่งตำแหน่ง (แชร์ Location) ของจุดที่พบปัญหา")

    if not noticed:
        # Complete, but the privacy notice goes out with this very reply: file on the next location only.
        draft.pop("lat"), draft.pop("lng")
        services.save_line_draft(conversation=conversation, draft=draft)
        return _("อ่านข้อความด้านบนแล้ว ส่งตำแหน่งอีกครั้งเพื่อยืนยันการแจ้ง")
    category = guess_category(organization, draft["text"])
    photos = []
    for message_id in draft.get("images", []):
        try:
            photos.append(uploads.clean_image_bytes(fetch_image(organization, message_id)))
        except (requests.RequestException, ValidationError) as exc:
            log.warning("LINE image %s skipped: %s", message_id, exc)
    try:
        complaint = services.submit_complaint(
            organization=organization, category=category, description=draft["text"],
            channel=Complaint.Channel.LINE, latitude=draft["lat"], longitude=draft["lng"],
            address=draft.get("address", ""), line_user_id=user_id, notify_channel="line", pdpa_consent=True,
            photo_files=photos, notify_received=False)
    except ValidationError as exc:
        reset()
        return "ไม่สามารถรับเรื่องได้: " + " ".join(exc.messages)
    reset()
    return (f"ได้รับเรื่องแล้ว รหัสติดตาม {complaint.tracking_code}\n"
        f"ประเภท: {category.name_th}\nเราจะแจ้งความคืบหน้าทาง LINE นี้")


@csrf_exempt
@require_POST
def webhook(request, org_slug):
    organization = get_object_or_404(Organization, slug=org_slug, is_active=True)
    if not client.verify_signature(client.channel_secret(organization), request.body,
                                   request.headers.get("X-Line-Signature", "")):
        return HttpResponseForbidden("invalid signature")
    try:
        payload = json.loads(request.body)
        events = payload["events"]
        assert isinstance(events, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        return HttpResponseBadRequest("bad payload")
    for event in events:
        event_id = event.get("webhookEventId")
        # LINE redelivers on timeouts: each event is applied once.
        if event_id and not cache.add(f"line-event:{organization.pk}:{event_id}", 1, 86400):
            continue
        text = handle_event(organization, event)
        if text:
            reply(organization, event.get("replyToken", ""), text)
    return HttpResponse("ok")
