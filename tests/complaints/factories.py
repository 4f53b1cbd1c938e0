import io

import factory
from PIL import Image

from complaints import services
from complaints.demo import ensure_categories
from complaints.models import Asset, Category, Complaint
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
    services.create_api_key(organization=organization, name="tenancy")
    dept = DepartmentFactory(organization=organization)
    staff(organization, Role.LEGAL_OFFICER, department=dept)
    return complaint
