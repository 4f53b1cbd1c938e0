import io

import factory
from PIL import Image

from complaints import services
from complaints.demo import ensure_categories
from complaints.models import (
    Asset,
    Category,
    Complaint,
    ComplaintPhoto,
    ComplaintUpdate,
    LineConversation,
    ProtectedComplaint,
    Rating,
)
from portal.models import Role
from tests.portal.factories import DepartmentFactory, OrganizationFactory, staff


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"cat{n}")
    name_th = factory.Sequence(lambda n: f"ประเภท{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    sla_days = 3


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"LS-{n:03d}")
    kind = Asset.Kind.LOUDSPEAKER
    village = "หมู่ 1"
    latitude = "16.432500"
    longitude = "102.823500"


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        gps = {1: "N", 2: (16.0, 26.0, 0.0), 3: "E", 4: (102.0, 49.0, 0.0)}
        exif[0x8825] = gps
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def make_complaint(organization, category=None, **kwargs) -> Complaint:
    category = category or CategoryFactory(organization=organization)
    defaults = {"description": "ไฟดับหน้าบ้าน", "latitude": organization.latitude,
                "longitude": organization.longitude}
    defaults.update(kwargs)
    return services.submit_complaint(organization=organization, category=category, **defaults)


def make_tenant_objects(organization):
    """One row of every complaints model the admin / API exposes, for the cross-app tenancy test."""
    cats = ensure_categories(organization)
    AssetFactory(organization=organization, category=cats["street_light"])
    complaint = make_complaint(organization, cats["street_light"], contact_email="a@example.com",
                               notify_channel="email", pdpa_consent=True)
    services.change_status(complaint=complaint, to_status="accepted", note="")
    services.submit_corruption_report(organization=organization, category=cats["corruption"],
                                      description="เรียกรับเงินใต้โต๊ะ")
    dept = DepartmentFactory(organization=organization)
    staff(organization, Role.LEGAL_OFFICER, department=dept)
    return complaint


def _graph(organization) -> dict:
    """Rows of every complaints model for one organization, built once per organization object."""
    graph = getattr(organization, "_complaints_tenancy", None)
    if graph is not None:
        return graph
    from django.core.files.base import ContentFile

    cats = ensure_categories(organization)
    asset = AssetFactory(organization=organization, category=cats["street_light"])
    # Submitted, with a contact to notify: what bulk_accept / anonymise / route would touch.
    complaint = make_complaint(organization, cats["street_light"], contact_email="a@example.com",
                               contact_phone="0812345678", notify_channel="email", pdpa_consent=True)
    # Resolved and rated, with an update and a photo.
    done = make_complaint(organization, cats["street_light"], contact_email="b@example.com", notify_channel="email",
                          pdpa_consent=True)
    for target in ("accepted", "in_progress", "resolved"):
        update = services.change_status(complaint=done, to_status=target, note="ok")
    rating = services.rate(complaint=done, score=4, comment="ดี")
    photo = ComplaintPhoto.objects.create(complaint=done, image=ContentFile(jpeg_bytes(), name="p.jpg"))
    report, _ = services.submit_corruption_report(organization=organization, category=cats["corruption"],
                                                  description="เรียกรับเงินใต้โต๊ะ", contact_phone="0899999999",
                                                  pdpa_consent=True)
    line = LineConversation.objects.create(organization=organization, line_user_id=f"U{organization.pk:032d}")
    graph = {Category: cats["street_light"], Asset: asset, Complaint: complaint,
             ProtectedComplaint: ProtectedComplaint.objects.get(pk=report.pk), ComplaintUpdate: update,
             ComplaintPhoto: photo, Rating: rating, LineConversation: line}
    organization._complaints_tenancy = graph
    return graph


def _from_graph(model):
    return lambda organization: _graph(organization)[model]


# Tenancy test hook (tests/portal/test_tenancy.py): one saved row of every organization-owned model.
TENANCY_FACTORIES = {model: _from_graph(model) for model in (
    Category, Asset, Complaint, ProtectedComplaint, ComplaintUpdate, ComplaintPhoto, Rating, LineConversation)}
# Rows that citizens see by design (public viewsets may show them to anybody).
TENANCY_PUBLIC_MODELS = {Category}


def post_change_page(client, url, **kwargs):
    return client.post(url, change_page_data(client, url, **kwargs))


def change_page_data(client, url, *, action=None, fields=None, files=None, button="_act"):
    """What the admin change page sends, as a browser would: every value its form carries (fields, inline
    management forms), with `fields` changed and the workflow `action` (names without the `act-` prefix) filled
    in, pressing `button`."""
    import lxml.html

    page = client.get(url)
    assert page.status_code == 200, page.status_code
    form = next(f for f in lxml.html.fromstring(page.content.decode()).forms if f.get("id", "").endswith("_form"))
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    for name, value in (fields or {}).items():
        data[name] = [value]
    for name, value in (action or {}).items():
        data[f"act-{name}"] = [value]
    data[button] = ["1"]
    for name, upload in (files or {}).items():
        data[f"act-{name}"] = upload
    return data
