"""Staff side of the catalogue, scoped to the user's organizations: datasets (publish / unpublish, staleness),
resources with uploads that become new immutable versions, categories and tags."""

import os

from auditlog.registry import auditlog
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin.mixins import (
    ReadOnlyScopedInline,
    ScopedInlineMixin,
    ScopedModelAdmin,
    ServiceSavesMixin,
)
from portal.inputs.forms import KeepInputMixin, KeptFilesField, KeptFilesWidget, apply_errors
from portal.inputs.uploads import CheckedFile, max_upload_bytes, read_limited

from . import selectors, services, workflow
from .models import Dataset, Group, HarvestConsent, Resource, ResourceVersion, Tag


class FacetSourceAdmin(ServiceSavesMixin, admin.ModelAdmin):
    """A renamed category or tag: the search's facet values of its datasets follow."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            for dataset in obj.datasets.all():
                services.sync_terms(dataset)


@admin.register(Group)
class GroupAdmin(FacetSourceAdmin):
    list_display = ["name", "title_th", "title_en"]
    search_fields = ["name", "title_th", "title_en"]


@admin.register(Tag)
class TagAdmin(FacetSourceAdmin):
    search_fields = ["name"]


class StaleFilter(admin.SimpleListFilter):
    title = _("ความทันสมัย")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("เลยกำหนดปรับปรุง")), ("no", _("ทันสมัย"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        stale = selectors.stale_condition(queryset)
        return queryset.filter(stale) if self.value() == "yes" else queryset.exclude(stale)


def _say_table_is_loading(model_admin, request, name, job) -> None:
    """A table is read into the DataStore in the background: say so, with its progress page (which shows why a
    file was refused)."""
    if job is not None:
        model_admin.message_user(request, format_html(
            '{} <a href="{}">{}</a>', gettext("กำลังอ่านตาราง %(name)s เข้าระบบค้นข้อมูลในตาราง (DataStore) เบื้องหลัง")
            % {"name": name}, reverse("job-status", args=[job.uuid]), gettext("ดูความคืบหน้า")), messages.INFO)


def check_resource_file(upload) -> CheckedFile:
    """A data file chosen on the dataset screen: size first (portal.inputs.uploads.read_limited), then its content
    (services.check_upload: CSV, XLSX, GeoJSON, JSON or PDF, whatever the name says)."""
    data = read_limited(upload)
    detected = services.check_upload(data=data, filename=getattr(upload, "name", "") or "")
    mime, extension = services.FORMATS[detected]
    name = os.path.basename((getattr(upload, "name", "") or "").replace("\\", "/"))[:200] or f"file.{extension}"
    return CheckedFile(data=data, mime=mime, extension=extension, name=name)


# The dataset screen in the order a clerk fills it; each group says what it is for. Required before publishing:
# workflow.REQUIRED_FOR_PUBLISH (the Publish button lists what is still empty, with links to the fields).
DATASET_FIELDSETS = [
    (_("1. ชื่อและคำอธิบาย"), {"fields": ["organization", "title", "notes", "name", "groups", "tags"],
                              "description": _("ชื่อที่ประชาชนเห็นและคำอธิบายสั้น ๆ ว่าข้อมูลนี้คืออะไร")}),
    (_("2. ไฟล์ข้อมูล"), {"fields": ["files", "resources_preview"],
                         "description": _("เลือกไฟล์จากเครื่อง (CSV, XLSX, GeoJSON, JSON หรือ PDF) ระบบตรวจเนื้อไฟล์และขนาด "
                                          "แล้วแสดงตัวอย่างแถวแรก ๆ หลังบันทึก")}),
    (_("3. ประเภทและวัตถุประสงค์"), {"fields": [("data_type", "data_type_other"), "objective", "objective_other",
                                               "data_format", "data_format_other", "data_language",
                                               "data_language_other"],
                                    "description": _("ค่าตามมาตรฐานคำอธิบายข้อมูลภาครัฐ (thai-gdc) "
                                                     "ที่ระบบบัญชีข้อมูลภาครัฐอ่าน")}),
    (_("4. ความถี่และขอบเขต"), {"fields": [("update_frequency_unit", "update_frequency_interval"),
                                          "update_frequency_unit_other", ("geo_coverage", "geo_coverage_other"),
                                          ("data_collect", "data_collect_other"), ("created_date", "last_updated_date")],
                               "description": _("ปรับปรุงบ่อยแค่ไหน ชุดข้อมูลที่เลยกำหนดจะขึ้นเตือนในหน้าแรกของเจ้าหน้าที่")}),
    (_("5. การเปิดเผยและสัญญาอนุญาต"), {"fields": ["data_category", "data_classification", "license_id",
                                                  "license_id_other", "accessible_condition", "allow_harvest"],
                                       "description": _("เผยแพร่ได้เฉพาะข้อมูลสาธารณะที่มีชั้นความลับ “เปิดเผย”")}),
    (_("6. แหล่งที่มาและผู้ติดต่อ"), {"fields": ["data_source", ("data_support", "data_support_other"), "maintainer",
                                                "maintainer_email", "telephone_number"],
                                     "description": _("ผู้ใช้ข้อมูลติดต่อใคร และข้อมูลมาจากไหน")}),
    (_("7. ข้อมูลสถิติ"), {"fields": [("first_year_of_data", "last_year_of_data"), "disaggregate",
                                     ("unit_of_measure", "unit_of_multiplier"), "calculation_method", "standard"],
                          "description": _("สำหรับชุดข้อมูลประเภทข้อมูลสถิติ เว้นว่างได้")}),
    (_("ระบบ"), {"fields": ["state", "feed_name", "metadata_created", "metadata_modified", "download_count",
                           "stale_notified_at"], "classes": ["collapse"]}),
]
DATASET_READONLY = ("state", "feed_name", "metadata_created", "metadata_modified", "download_count",
                    "stale_notified_at", "resources_preview", "files")
PUBLISH_BUTTON = "_publish"
UNPUBLISH_BUTTON = "_unpublish"


class DatasetForm(KeepInputMixin, forms.ModelForm):
    """The one dataset screen: metadata, files chosen in place (kept across errors, portal.inputs.tempuploads) and
    the Publish button, which first checks what thai-gdc requires and marks every missing field."""

    files = KeptFilesField(
        label=_("เพิ่มไฟล์ข้อมูล"), purpose="opendata.resources", check=check_resource_file, max_files=5,
        required=False, help_text=_("เลือกได้หลายไฟล์ ไฟล์ละไม่เกินขนาดที่กำหนด แต่ละไฟล์เป็นทรัพยากรหนึ่งรายการ"),
        widget=KeptFilesWidget(attrs={"accept": ".csv,.xlsx,.geojson,.json,.pdf"}, multiple=True))

    class Meta:
        model = Dataset
        fields = [name for _title, options in DATASET_FIELDSETS for row in options["fields"]
                  for name in (row if isinstance(row, tuple) else (row,)) if name not in DATASET_READONLY]

    def __init__(self, *args, publishing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.publishing = publishing
        self.publish_missing = []
        if not self.is_bound and self.instance._state.adding:
            # A new dataset's list fields start from the model's defaults (data in Thai), as the other fields do.
            for name in ("objective", "data_format", "data_language"):
                if name in self.fields:
                    self.initial.setdefault(name, getattr(self.instance, name))
        if "name" in self.fields:
            self.fields["name"].required = False
            self.fields["name"].help_text = _("เว้นว่างได้ ระบบตั้งจากชื่อชุดข้อมูลให้ (อักษรอังกฤษตัวเล็ก ตัวเลข และขีด)")

    def clean(self):
        cleaned = super().clean()
        if "name" in self.fields and not cleaned.get("name") and cleaned.get("title"):
            cleaned["name"] = selectors.free_dataset_name(cleaned["title"], exclude=self.instance.pk)
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # self.instance now carries what was typed
        if not (self.publishing or self.instance.state == workflow.State.PUBLISHED):
            return
        self.publish_missing = workflow.missing_for_publish(self.instance)
        for name, _label in self.publish_missing:
            if name in self.fields and name not in self.errors:
                self.add_error(name, gettext("ต้องกรอกก่อนเผยแพร่"))
        if self.publishing:
            try:
                workflow.check_publishable(self.instance)
            except ValidationError as exc:
                apply_errors(self, exc)
                # listed with the missing fields, so the box at the top names every reason
                self.publish_missing += [(name, f"{Dataset._meta.get_field(name).verbose_name}: {' '.join(messages)}")
                                         for name, messages in exc.message_dict.items()]


class ResourceInline(ScopedInlineMixin, admin.TabularInline):
    model = Resource
    extra = 0
    fields = ["name", "format", "url", "position", "download_count"]
    readonly_fields = ["format", "download_count"]
    show_change_link = True
    verbose_name_plural = _("ไฟล์และลิงก์ของชุดข้อมูล (ตัวอย่างแถวแรกอยู่ในหัวข้อ “2. ไฟล์ข้อมูล”)")


def table_preview(*, caption, header, records, total) -> str:
    return render_to_string("admin/opendata/resource_preview.html", {
        "header": header, "records": [[r.get(h, "") for h in header] for r in records], "total": total,
        "caption": caption})


def chosen_file_preview(checked: CheckedFile, rows=3) -> str:
    """The first rows of a file chosen but not saved yet (the screen came back with something missing)."""
    from . import datastore

    fmt = {"text/csv": "CSV", services.FORMATS["XLSX"][0]: "XLSX"}.get(checked.mime)
    if fmt is None:
        return ""
    try:
        fields, records = datastore.table(checked.data, fmt)
    except datastore.NotATable:
        return ""
    return table_preview(caption=checked.name, header=[f["id"] for f in fields][:6], records=records[:rows],
                         total=len(records))


def resource_preview(resource, rows=3):
    """The first rows of a table (from the datastore), else the file's name and size."""
    if not resource.pk:
        return "–"
    if resource.datastore_active:
        return table_preview(caption=resource.name, header=[f["id"] for f in resource.datastore_fields][:6],
                             records=[r.data for r in resource.records.order_by("row")[:rows]],
                             total=resource.records.count())
    version = resource.latest_version
    if version is not None:
        return format_html("{} · {}", version.original_name, filesizeformat(version.size))
    return resource.url or "–"


@admin.register(Dataset)
class DatasetAdmin(ScopedModelAdmin):
    form = DatasetForm
    change_form_template = "admin/opendata/dataset/change_form.html"
    list_display = ["title", "organization", "state", "stale_flag", "feed_name", "download_count",
                    "metadata_modified"]
    list_filter = ["state", StaleFilter, "data_type", "groups"]
    list_select_related = ["organization"]
    search_fields = ["title", "name", "notes"]
    autocomplete_fields = ["tags"]
    filter_horizontal = ["groups"]
    radio_fields = {"data_type": admin.VERTICAL, "data_category": admin.VERTICAL,
                    "data_classification": admin.VERTICAL}
    readonly_fields = [name for name in DATASET_READONLY if name != "files"]
    actions = ["publish", "unpublish", "refresh_live"]
    inlines = [ResourceInline]
    fieldsets = DATASET_FIELDSETS

    class Media:
        css = {"all": ["opendata/admin-dataset.css"]}

    @admin.display(description=_("ไฟล์ที่บันทึกแล้ว"))
    def resources_preview(self, obj):
        resources = list(obj.resources.all()) if obj is not None and obj.pk else []
        if not resources:
            return gettext("ยังไม่มีไฟล์")
        return format_html_join("", "<div class=\"resource-preview\"><strong>{}</strong> ({}) {}</div>",
                                ((r.name, r.format or "–", resource_preview(r)) for r in resources))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        publishing = request.method == "POST" and PUBLISH_BUTTON in request.POST

        class DatasetScreenForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, publishing=publishing, **kw)

        return DatasetScreenForm

    def get_changeform_initial_data(self, request):
        """A clerk of one organization does not pick it."""
        from portal.access.permissions import organizations_for

        initial = super().get_changeform_initial_data(request)
        if "organization" not in initial:
            mine = list(organizations_for(request.user, "add", Dataset)[:2])
            if len(mine) == 1:
                initial["organization"] = mine[0].pk
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and isinstance(response, TemplateResponse):
            response.status_code = 400  # refused input: the screen again, with what was typed and chosen
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = getattr(context.get("adminform"), "form", None)
        instance = obj if obj is not None else getattr(form, "instance", None)
        posted = request.method == "POST"
        missing = list(getattr(form, "publish_missing", []) if posted else [])
        if not posted and instance is not None:
            missing = workflow.missing_for_publish(instance)
        context.update({
            "publish_button": PUBLISH_BUTTON, "unpublish_button": UNPUBLISH_BUTTON,
            "is_published": bool(obj is not None and obj.is_published),
            "publish_missing": missing, "publish_refused": posted and PUBLISH_BUTTON in request.POST and bool(missing),
            "public_url": obj.get_absolute_url() if obj is not None and obj.is_published else "",
            "can_publish": self.has_change_permission(request, obj),
            "chosen_files": [{"name": c.name, "preview": chosen_file_preview(c)}
                             for c in (getattr(form, "cleaned_data", None) or {}).get("files") or []] if posted else [],
        })
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        """The staff's own stale datasets announced at the top of the list, with a link to them."""
        if request.method == "GET" and "stale" not in request.GET:
            stale = selectors.stale_datasets_q(self.get_queryset(request)).count()
            if stale:
                self.message_user(request, format_html(
                    '{} <a href="?stale=yes">{}</a>',
                    gettext("ชุดข้อมูลที่เผยแพร่ %(n)s ชุดเลยกำหนดปรับปรุงแล้ว") % {"n": stale},
                    gettext("ดูรายการ")), messages.WARNING)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("เลยกำหนดปรับปรุง"), boolean=True)
    def stale_flag(self, obj):
        return obj.is_stale()

    def save_related(self, request, form, formsets, change):
        """After the fields and the rows below: the files chosen on the screen become resources, then the button
        pressed (publish / unpublish) goes through the workflow, all in the admin's one transaction."""
        super().save_related(request, form, formsets, change)
        dataset = form.instance
        services.reindex(dataset)
        services.touch(dataset)
        for checked in form.cleaned_data.get("files") or []:
            resource = services.add_resource(dataset=dataset, name=os.path.splitext(checked.name)[0] or checked.name,
                                             data=checked.data, filename=checked.name, actor=request.user)
            _say_table_is_loading(self, request, resource.name, resource.datastore_job)
        form.release_uploads()
        dataset.refresh_from_db()
        if PUBLISH_BUTTON in request.POST and not dataset.is_published:
            services.publish(dataset=dataset, actor=request.user)
            request._dataset_published = True
        elif UNPUBLISH_BUTTON in request.POST and dataset.is_published:
            services.unpublish(dataset=dataset, actor=request.user)
            request._dataset_unpublished = True

    def _stay(self, request, obj):
        if getattr(request, "_dataset_published", False):
            self.message_user(request, format_html(
                '{} <a href="{}">{}</a>', gettext("เผยแพร่ “%(title)s” แล้ว") % {"title": obj.title},
                obj.get_absolute_url(), gettext("เปิดหน้าที่ประชาชนเห็น")), messages.SUCCESS)
        elif getattr(request, "_dataset_unpublished", False):
            self.message_user(request, gettext("หยุดเผยแพร่ “%(title)s” แล้ว ชุดข้อมูลกลับเป็นฉบับร่าง")
                              % {"title": obj.title}, messages.SUCCESS)
        else:
            self.message_user(request, gettext("บันทึกแล้ว"), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:opendata_dataset_change", args=[obj.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        if PUBLISH_BUTTON in request.POST:
            return self._stay(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if PUBLISH_BUTTON in request.POST or UNPUBLISH_BUTTON in request.POST:
            return self._stay(request, obj)
        return super().response_change(request, obj)

    def _set_state(self, request, queryset, state):
        done = 0
        for dataset in queryset.select_related("organization"):
            if dataset.state == state:
                continue
            try:
                services.set_state(dataset=dataset, state=state, actor=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{dataset.title}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, gettext("ปรับสถานะแล้ว %(n)s ชุดข้อมูล") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("เผยแพร่ชุดข้อมูลที่เลือก"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_state(request, queryset, Dataset.State.PUBLISHED)

    @admin.action(description=_("ปรับปรุงชุดข้อมูลอัตโนมัติขององค์กรเดี๋ยวนี้"), permissions=["change"])
    def refresh_live(self, request, queryset):
        """One background job per organization of the selected datasets; the page never waits for it."""
        from django.urls import reverse

        from portal.machinery import jobs

        from . import tasks  # noqa: F401  (registers the job handler)

        for organization in {d.organization for d in queryset.select_related("organization")}:
            job = jobs.enqueue(kind="opendata.refresh", organization=organization, actor=request.user)
            self.message_user(request, format_html(
                '{} <a href="{}">{}</a>', gettext("เริ่มปรับปรุงชุดข้อมูลอัตโนมัติของ %(org)s แล้ว")
                % {"org": organization.name_th}, reverse("job-status", args=[job.uuid]), gettext("ดูความคืบหน้า")),
                messages.INFO)

    @admin.action(description=_("หยุดเผยแพร่ชุดข้อมูลที่เลือก"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_state(request, queryset, Dataset.State.DRAFT)


class ResourceForm(forms.ModelForm):
    upload = forms.FileField(label=_("อัปโหลดไฟล์"), required=False,
                             help_text=_("ทุกครั้งที่อัปโหลดจะเป็นฉบับใหม่ ฉบับเก่ายังดาวน์โหลดได้ "
                                         "(CSV, XLSX, GeoJSON, JSON, PDF; ตรวจจากเนื้อไฟล์)"))

    class Meta:
        model = Resource
        fields = ["dataset", "name", "description", "format", "url", "position"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            if upload.size > max_upload_bytes():
                raise ValidationError({"upload": gettext(
                    "ไฟล์ใหญ่เกินไป อัปโหลดได้ไม่เกิน %(max)s MB") % {"max": max_upload_bytes() // 1048576}})
            data = upload.read()
            try:
                self.checked_format = services.check_upload(data=data, declared_format=cleaned.get("format", ""),
                                                            filename=upload.name)
            except ValidationError as exc:
                raise ValidationError({"upload": exc.messages}) from None
            self.upload_data = data
        elif not cleaned.get("url") and not (self.instance.pk and self.instance.versions.exists()):
            raise ValidationError(gettext("อัปโหลดไฟล์หรือใส่ลิงก์อย่างใดอย่างหนึ่ง"))
        return cleaned


class VersionInline(ReadOnlyScopedInline):
    model = ResourceVersion
    fields = ["number", "original_name", "mimetype", "size", "sha256", "created", "created_by"]


@admin.register(Resource)
class ResourceAdmin(ScopedModelAdmin):
    form = ResourceForm
    list_display = ["name", "dataset", "format", "datastore_active", "download_count", "last_modified"]
    list_select_related = ["dataset__organization"]
    search_fields = ["name", "dataset__title"]
    readonly_fields = ["datastore_active", "datastore_error", "download_count", "preview_link"]
    inlines = [VersionInline]

    @admin.display(description=_("หน้าสาธารณะ"))
    def preview_link(self, obj):
        if not obj.pk or not obj.dataset.is_published:
            return "–"
        return format_html('<a href="{}#resource-{}">{}</a>', obj.dataset.get_absolute_url(), obj.pk,
                           gettext("เปิดหน้าชุดข้อมูล"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        data = getattr(form, "upload_data", None)
        if data is not None:
            version = services.add_version(resource=obj, data=data, filename=form.cleaned_data["upload"].name,
                                           actor=request.user, checked_format=form.checked_format)
            _say_table_is_loading(self, request, obj.name, version.datastore_job)
        else:
            services.touch(obj.dataset)

    def delete_model(self, request, obj):
        dataset = obj.dataset
        super().delete_model(request, obj)
        services.touch(dataset)  # its format may leave the dataset's facet values

    def delete_queryset(self, request, queryset):
        datasets = list(Dataset.objects.filter(pk__in=queryset.values("dataset_id")))
        super().delete_queryset(request, queryset)
        for dataset in datasets:
            services.touch(dataset)


@admin.register(HarvestConsent)
class HarvestConsentAdmin(ScopedModelAdmin):
    list_display = ["organization", "allow_harvest", "changed"]
    list_select_related = ["organization"]
    readonly_fields = ["changed"]


auditlog.register(HarvestConsent)
auditlog.register(Dataset, exclude_fields=["search_text", "download_count", "metadata_modified"],
                  m2m_fields={"tags", "groups"})
auditlog.register(Resource, exclude_fields=["download_count", "datastore_fields"])
auditlog.register(ResourceVersion)
auditlog.register(Group)
