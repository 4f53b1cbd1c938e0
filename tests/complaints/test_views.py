import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import services
from complaints.demo import ensure_categories
from complaints.models import Complaint

from .factories import AssetFactory, jpeg_bytes, make_complaint

pytestmark = pytest.mark.django_db


def form_data(category, **extra):
    data = {"category": category.pk, "description": "ไฟถนนดับทั้งซอย", "latitude": "16.4321", "longitude": "102.8231",
            "village": "หมู่ 2", "notify_channel": ""}
    data.update(extra)
    return data


def test_citizen_files_with_photo_and_tracks(client, org):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "vendor/leaflet/leaflet.js" in page.content.decode()
    assert cats["corruption"].name_th not in page.content.decode()  # protected kind not on the public form
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(url, {**form_data(cats["street_light"]), "photos": [photo]})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "web" and complaint.photos.count() == 1
    track = client.get(response["Location"])
    assert complaint.tracking_code in track.content.decode()
    assert "รับเรื่องแล้ว" in track.content.decode()


def test_bad_input_is_400_with_message(client, org):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    not_image = SimpleUploadedFile("x.jpg", b"%PDF-1.4 hello", content_type="image/jpeg")
    response = client.post(url, {**form_data(cats["garbage"]), "photos": [not_image]})
    assert response.status_code == 400 and "ไม่ใช่ภาพ" in response.content.decode()
    response = client.post(url, form_data(cats["garbage"], latitude="13.7", longitude="100.5"))
    assert response.status_code == 400 and "นอกพื้นที่" in response.content.decode()
    response = client.post(url, form_data(cats["garbage"], description="ก" * 5000))
    assert response.status_code == 400
    response = client.post(url, form_data(cats["corruption"]))  # protected category is not on this form
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_tracking_page_query_budget(client, org, django_assert_max_num_queries):
    cats = ensure_categories(org)
    complaint = make_complaint(org, cats["road"], photos=[SimpleUploadedFile("a.jpg", jpeg_bytes())])
    services.change_status(complaint=complaint, to_status="accepted")
    services.add_reply(complaint=complaint, actor=None, message="จะเข้าซ่อมพรุ่งนี้", public=True)
    services.add_reply(complaint=complaint, actor=None, message="ภายในเท่านั้น", public=False)
    with django_assert_max_num_queries(8):
        response = client.get(complaint.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "จะเข้าซ่อมพรุ่งนี้" in text and "ภายในเท่านั้น" not in text


def test_unknown_code_and_other_org_code_are_404(client, org, other_org):
    complaint = make_complaint(org)
    assert client.get(reverse("complaints:track", args=[org.slug, "XX-2568-AAAAAA"])).status_code == 404
    assert client.get(reverse("complaints:track", args=[other_org.slug, complaint.tracking_code])).status_code == 404


def test_qr_scan_counts_and_prefills(client, org):
    cats = ensure_categories(org)
    asset = AssetFactory(organization=org, category=cats["loudspeaker"], code="LS-009")
    response = client.get(reverse("complaints:qr-scan", args=[org.slug, "LS-009"]))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.scan_count == 1
    page = client.get(response["Location"]).content.decode()
    assert 'value="LS-009"' in page and 'value="16.432500"' in page
    client.post(response["Location"], form_data(cats["loudspeaker"], latitude="", longitude="", asset="LS-009"))
    complaint = Complaint.objects.get()
    assert complaint.channel == "qr" and complaint.asset == asset and str(complaint.latitude) == "16.432500"


def test_rating_page(client, org):
    complaint = make_complaint(org)
    url = reverse("complaints:rate", args=[org.slug, complaint.rating_token])
    assert client.get(url).status_code == 409
    services.change_status(complaint=complaint, to_status="accepted")
    services.change_status(complaint=complaint, to_status="resolved", note="ซ่อมแล้ว")
    assert client.post(url, {"score": "9"}).status_code == 400
    assert client.post(url, {"score": "4", "comment": "เร็วดี"}).status_code == 200
    assert complaint.rating.score == 4
    assert "ขอบคุณ" in client.get(url).content.decode()


def test_rate_limit_gives_429(client, org, settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    codes = [client.post(url, form_data(cats["garbage"])).status_code for _ in range(12)]
    assert codes[:10] == [302] * 10
    assert codes[-1] == 429
    cache.clear()


def test_dashboard_and_public_map_leave_out_protected(client, org):
    cats = ensure_categories(org)
    make_complaint(org, cats["garbage"], village="หมู่ 5")
    services.submit_corruption_report(organization=org, category=cats["corruption"], description="ลับ")
    page = client.get(reverse("complaints:dashboard", args=[org.slug]))
    assert page.status_code == 200 and "หมู่ 5" in page.content.decode()
    assert cats["corruption"].name_th not in page.content.decode()
    points = client.get(reverse("complaints:map-data", args=[org.slug])).json()["points"]
    assert len(points) == 1


def test_bad_uploads_on_the_web_form_are_400_with_a_message_and_nothing_saved(client, org, settings):
    import io

    from PIL import Image

    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])

    def post(*files):
        return client.post(url, {**form_data(cats["garbage"]), "photos": list(files)})

    settings.UPLOAD_MAX_BYTES = 2000
    big = io.BytesIO()
    Image.effect_noise((300, 300), 80).convert("RGB").save(big, "PNG")
    response = post(SimpleUploadedFile("big.png", big.getvalue(), content_type="image/png"))
    assert response.status_code == 400 and "ใหญ่เกิน" in response.content.decode()
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    broken = jpeg_bytes()[:200]  # JPEG magic, cut off
    response = post(SimpleUploadedFile("cut.jpg", broken, content_type="image/jpeg"))
    assert response.status_code == 400 and "เปิดไฟล์ภาพไม่ได้" in response.content.decode()
    response = post(*[SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(6)])
    assert response.status_code == 400 and "ไม่เกิน 5" in response.content.decode()
    response = client.post(url, form_data(cats["garbage"], description="ก" * 4001))
    assert response.status_code == 400 and "4000" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_phone_numbers_accept_thai_digits_and_refuse_nonsense(client, org):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    bad = client.post(url, form_data(cats["garbage"], contact_phone="โทรหาผมนะ", notify_channel="sms",
                                     pdpa_consent="on"))
    assert bad.status_code == 400 and "เบอร์โทรไม่ถูกต้อง" in bad.content.decode()
    assert Complaint.objects.count() == 0
    ok = client.post(url, form_data(cats["garbage"], contact_phone="๐๘๑-๒๓๔-๕๖๗๘", notify_channel="sms",
                                    pdpa_consent="on", village="หมู่ ๓"))
    assert ok.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.contact_phone == "0812345678" and complaint.village == "หมู่ 3"
    assert client.post(url, form_data(cats["garbage"], contact_phone="+66 81 234 5678",
                                      pdpa_consent="on")).status_code == 302
    assert Complaint.objects.latest("created_at").contact_phone == "0812345678"


def test_corruption_status_guess_is_rate_limited(client, org, settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    url = reverse("complaints:integrity-status", args=[org.slug])
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # every guess hashes once
    # 21 guesses: over the limit of 10 within one window even if a window boundary falls between them
    codes = [client.post(url, {"code": "XX-2569-AAAAAA", "passphrase": "guess"}).status_code for _ in range(21)]
    assert codes[0] == 400 and 429 in codes
    cache.clear()


@pytest.mark.parametrize("path", ["complaints/track/{}/", "complaints/qr/{}/", "complaints/rate/{}/"])
def test_odd_codes_are_404_not_500(client, org, path):
    for code in ["X" * 300, "ก-๒๕๖๙", "%00", "00000000-0000-0000-0000-000000000000"]:
        response = client.get(f"/{org.slug}/" + path.format(code))
        assert response.status_code == 404, (path, code, response.status_code)


def test_tracking_lookup_box_survives_anything_typed(client, org):
    index = reverse("complaints:index", args=[org.slug])
    for typed in ["a/b", "ก-๒๕๖๙", "KY 2569", "   ", "\x01\x1b"]:
        response = client.get(index, {"code": typed}, follow=True)
        assert response.status_code in (200, 404), typed
    # NUL is refused before any view with a message (portal.web.middleware.TextInputMiddleware)
    response = client.get(index, {"code": "\x00"}, follow=True)
    assert response.status_code == 400 and "อักขระ" in response.content.decode()


def test_open311_nul_bytes_are_400(client, org):
    for params in ({"jurisdiction_id": "x\x00"}, {"jurisdiction_id": org.slug, "service_request_id": "A\x00"}):
        response = client.get("/open311/v2/requests.json", params)
        assert response.status_code == 400 and "NUL" in response.json()[0]["description"]
    response = client.post("/open311/v2/requests.json", {"jurisdiction_id": org.slug, "description": "a\x00b"})
    assert response.status_code == 400


def test_web_submission_reads_organization_and_categories_from_the_directory(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    assert client.post(url, form_data(cats["street_light"])).status_code == 302  # warms the directory
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, form_data(cats["drain"])).status_code == 302
    # Inside the test's transaction the service's atomic block shows as a savepoint pair around the INSERT.
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1 and statements[0].startswith("INSERT INTO"), statements
    assert Complaint.objects.filter(organization=org).count() == 2


def test_web_form_refuses_a_category_retired_after_the_directory_was_cached(client, org):
    cats = ensure_categories(org)
    url = reverse("complaints:new", args=[org.slug])
    assert client.post(url, form_data(cats["street_light"])).status_code == 302
    garbage = cats["garbage"]
    garbage.is_active = False
    garbage.save()  # the model signal forgets the cached directory
    response = client.post(url, form_data(garbage))
    assert response.status_code == 400 and Complaint.objects.filter(category=garbage).count() == 0
    page = response.content.decode()  # the form comes back with the current choices, in order, none lost
    assert f'value="{cats["street_light"].pk}"' in page and f'value="{garbage.pk}"' not in page
    assert client.post(url, {**form_data(cats["street_light"]), "category": "๙๙๙๙"}).status_code == 400
