from django.utils.translation import gettext_lazy as _

from portal.access.roles import STANDARD, VIEW, Role
from portal.registry import ServiceAppConfig

EVERY_ROLE_VIEWS = {role: VIEW for role in Role}


class OpendataConfig(ServiceAppConfig):
    name = "opendata"
    verbose_name = _("ข้อมูลเปิด")
    root_url_module = "opendata.root_urls"
    demo_order = 1000  # last: its live datasets read the other apps' demo data
    audit_events = {
        "opendata.dataset.created": _("สร้างชุดข้อมูล"),
        "opendata.dataset.published": _("เผยแพร่ชุดข้อมูล"),
        "opendata.dataset.unpublished": _("หยุดเผยแพร่ชุดข้อมูล"),
        "opendata.dataset.refreshed": _("ปรับปรุงชุดข้อมูล"),
        "opendata.dataset.stale_notified": _("แจ้งเตือนชุดข้อมูลไม่ปรับปรุง"),
        "opendata.fake_datasets.generated": _("สร้างชุดข้อมูลทดสอบ"),
        "opendata.resource.added": _("เพิ่มทรัพยากร"),
        "opendata.resource.version_added": _("เพิ่มรุ่นของทรัพยากร"),
        "opendata.resource.datastore_loaded": _("อ่านตารางเข้าระบบค้นข้อมูลในตาราง"),
    }
    role_permissions = {
        # Datasets and resources: the organization's administrators and officers; auditors and executives read.
        "dataset": {**STANDARD, Role.LEGAL_OFFICER: VIEW},
        "resource": {**STANDARD, Role.LEGAL_OFFICER: VIEW},
        # Categories and tags are shared by every organization: staff pick them, superusers define them.
        "group": EVERY_ROLE_VIEWS,
        "tag": {**EVERY_ROLE_VIEWS, Role.ADMINISTRATOR: {"view", "add"}, Role.OFFICER: {"view", "add"}},
        # Versions are immutable: added through the resource, never edited.
        "resourceversion": EVERY_ROLE_VIEWS,
        # The organization's consent to the national catalogue harvesting it: its administrators decide.
        "harvestconsent": {**EVERY_ROLE_VIEWS, Role.ADMINISTRATOR: {"view", "add", "change"}},
        "datasetterm": {},
        "datastorerecord": {},
        "feedsource": {},
    }

    def ready(self):
        super().ready()
        from django.db.models.signals import post_save

        from portal.models import Organization, OrganizationSetup

        from . import services

        # Deactivating an organization takes its datasets out of the search words' public copy (and back).
        post_save.connect(services.organization_saved, sender=Organization, dispatch_uid="opendata-organization-active")
        # So does switching open data off in the set-up wizard (the national catalogue stops harvesting it).
        post_save.connect(services.setup_saved, sender=OrganizationSetup, dispatch_uid="opendata-switched-off")
        # every write the catalogue shows changes its version, the key of its kept answers (selectors)
        services.watch_catalogue()
        # A committed write to a row a live feed reads makes that organization's feeds due (opendata.live).
        from portal.machinery import changes

        from . import live

        for source in live.watched_sources():
            changes.watch(self.apps.get_model(source))
        changes.rows_changed.connect(live.note_changes, dispatch_uid="opendata-live-sources")
        from . import selectors  # noqa: F401  (every process forgets the kept harvest name lists on a change)

    def service_links(self, organization):
        from django.urls import reverse

        return [{"label": _("ข้อมูลเปิด"), "url": reverse("opendata:index", args=[organization.slug]),
                 "description": _("ชุดข้อมูลที่หน่วยงานเผยแพร่ ดาวน์โหลดและใช้ผ่าน API ได้")}]

    def staff_notices(self, request):
        """Published datasets past their update frequency, counted over what the staff member's dataset list shows
        (the same scoping as the admin), with a link to that list filtered to them."""
        from django.contrib import admin
        from django.urls import reverse
        from django.utils.translation import gettext

        from . import selectors
        from .models import Dataset

        model_admin = admin.site._registry.get(Dataset)
        if model_admin is None or not model_admin.has_view_permission(request):
            return []
        count = selectors.stale_datasets_q(model_admin.get_queryset(request)).count()
        if not count:
            return []
        return [{"message": gettext("ชุดข้อมูลที่เผยแพร่ %(n)s ชุดเลยกำหนดปรับปรุงแล้ว") % {"n": count},
                 "url": reverse("admin:opendata_dataset_changelist") + "?stale=yes",
                 "link_text": gettext("ดูรายการ")}]

    def fake_rows_copied(self, organizations, new_pks):
        from opendata.fake import index_copied_datasets
        from opendata.models import Dataset

        index_copied_datasets(organizations, new_pks.get(Dataset, {}))

    def staff_home(self, request):
        """The open-data clerk's admin home: their organizations' drafts and the published datasets past their
        update frequency, each one click from the dataset screen, and a link to start a new one. Scoped as the
        dataset list is (its ModelAdmin.get_queryset)."""
        from django.contrib import admin
        from django.template.loader import render_to_string

        from . import selectors
        from .models import Dataset

        model_admin = admin.site._registry.get(Dataset)
        if model_admin is None or not model_admin.has_add_permission(request):
            return []
        work = selectors.publishing_work(model_admin.get_queryset(request))
        return [{"title": _("ข้อมูลเปิด: ฉบับร่างและชุดข้อมูลที่ต้องปรับปรุง"),
                 "html": render_to_string("admin/opendata/staff_home.html", {"work": work}, request=request)}]

    def load_demo(self, organization, *, stdout=None):
        from .demo import load_demo

        return load_demo(organizations={organization.slug: organization}, stdout=stdout) or []
