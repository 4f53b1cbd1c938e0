import factory

from opendata import services
from opendata.models import (
    Dataset,
    DatasetTerm,
    DatastoreRecord,
    Group,
    HarvestConsent,
    Resource,
    ResourceVersion,
)
from tests.portal.factories import OrganizationFactory

CSV_BYTES = (
    "เดือน,ประเภท,จำนวน,งบประมาณ\n"
    "2025-10,ไฟฟ้าส่องสว่าง,12,1500.50\n"
    "2025-11,ถนนชำรุด,7,2300\n"
    "2025-12,ไฟฟ้าส่องสว่าง,4,0.25\n"
).encode()

GEOJSON_BYTES = (
    '{"type": "FeatureCollection", "features": ['
    '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [102.8235, 16.4325]},'
    ' "properties": {"name": "หอกระจายข่าว หมู่ 1"}},'
    '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [102.8301, 16.4402]},'
    ' "properties": {"name": "หอกระจายข่าว หมู่ 2"}}]}'
).encode()


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"group-{n}")
    title_th = factory.Sequence(lambda n: f"หมวดหมู่{n}")


def make_dataset(organization=None, *, title="สถิติเรื่องร้องเรียนรายเดือน", name=None, publish=True, tags=(),
                 groups=(), **fields) -> Dataset:
    organization = organization or OrganizationFactory()
    name = name or f"ds-{Dataset.objects.count() + 1}-{organization.slug}"
    fields.setdefault("notes", "จำนวนเรื่องร้องเรียนแยกตามประเภทและเดือน")
    fields.setdefault("maintainer", "สำนักปลัด")
    fields.setdefault("maintainer_email", "saraban@example.go.th")
    fields.setdefault("geo_coverage", "ตำบล")
    fields.setdefault("geo_coverage_other", "ตำบลทดสอบ")
    fields.setdefault("objective", ["พันธกิจหน่วยงาน"])
    fields.setdefault("data_format", ["CSV"])
    fields.setdefault("data_source", "สำนักปลัด")
    dataset = services.create_dataset(organization=organization, name=name, title=title, tags=tags, groups=groups,
                                      **fields)
    if publish:
        services.publish(dataset=dataset)
    return dataset


def loaded():
    """An uploaded table is read into the DataStore by a background job sent after the upload's transaction
    commits; a test's transaction never commits, so this block runs what was sent inside it when it ends."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def make_csv_resource(dataset, data=CSV_BYTES, name="ตารางสถิติ") -> Resource:
    with loaded():
        resource = services.add_resource(dataset=dataset, name=name, data=data, filename="stats.csv")
    resource.refresh_from_db()
    return resource


def make_geojson_resource(dataset, data=GEOJSON_BYTES, name="ตำแหน่งหอกระจายข่าว") -> Resource:
    return services.add_resource(dataset=dataset, name=name, data=data, filename="points.geojson")


def _resource(organization):
    return make_csv_resource(make_dataset(organization))


TENANCY_FACTORIES = {
    Dataset: lambda organization: make_dataset(organization),
    Resource: _resource,
    ResourceVersion: lambda organization: _resource(organization).versions.get(),
    DatastoreRecord: lambda organization: _resource(organization).records.first(),
    DatasetTerm: lambda organization: make_dataset(organization).terms.first(),
    HarvestConsent: lambda organization: HarvestConsent.objects.get_or_create(organization=organization)[0],
}


def make_tenant_objects(organization):
    """One row of every organization-owned open-data model (for the cross-app tenancy test)."""
    return [make(organization) for make in TENANCY_FACTORIES.values()]
