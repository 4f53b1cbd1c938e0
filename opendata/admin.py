"""Staff side of the catalogue, scoped to the user's organizations: datasets (publish / unpublish, staleness),
resources with uploads that become new immutable versions, categories and tags."""

from auditlog.registry import auditlog
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin.mixins import (
    ReadOnlyScopedInline,
    ScopedInlineMixin,
    ScopedModelAdmin,
    ServiceSavesMixin,
)
from portal.inputs.uploads import max_upload_bytes

from . import services
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
        from . import selectors

        stale = selectors.stale_condition(queryset)
        return queryset.filter(stale) if self.value() == "yes" else queryset.exclude(stale)


class ResourceInline(ScopedInlineMixin, admin.TabularInline):
    model = Resource
    extra = 0
    fields = ["name", "format", "url", "position", "datastore_active", "download_count"]
    readonly_fields = ["format", "datastore_active", "download_count"]
    show_change_link = True


@admin.register(Dataset)
class DatasetAdmin(ScopedModelAdmin):
    list_display = ["title", "organization", "state", "stale_flag", "feed_name", "download_count",
                    "metadata_modified"]
    list_filter = ["state", StaleFilter, "data_type", "groups"]
    list_select_related = ["organization"]
    search_fields = ["title", "name", "notes"]
    autocomplete_fields = ["tags"]
    filter_horizontal = ["groups"]
    readonly_fields = ["state", "feed_name", "metadata_created", "metadata_modified", "download_count",
                       "stale_notified_at"]
    actions = ["publish", "unpublish", "refresh_live"]
    inlines = [ResourceInline]
    prepopulated_fields = {"name": ["title"]}
    fieldsets = [
        (None, {"fields": ["organization", "name", "title", "notes", "state", "groups", "tags"]}),
        (_("คำอธิบายข้อมูลตามมาตรฐานภาครัฐ"), {"fields": [
            ("data_type", "data_type_other"), "objective", "objective_other",
            ("update_frequency_unit", "update_frequency_interval"), ("geo_coverage", "geo_coverage_other"),
            "data_source", "data_format", "data_category", "data_classification", "license_id",
            "accessible_condition", "data_language", "data_support", ("created_date", "last_updated_date"),
            "allow_harvest"]}),
        (_("ผู้ดูแล"), {"fields": ["maintainer", "maintainer_email", "telephone_number"]}),
        (_("ระบบ"), {"fields": ["feed_name", "metadata_created", "metadata_modified", "download_count",
                                "stale_notified_at"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        """The staff's own stale datasets announced at the top of the list, with a link to them."""
        from . import selectors

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
        super().save_related(request, form, formsets, change)
        services.reindex(form.instance)
        services.touch(form.instance)

    def _set_state(self, request, queryset, state):
        done = 0
        for dataset in queryset.select_related("organization"):
            try:
                services.set_state(dataset=dataset, state=state, user=request.user)
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
            job = jobs.enqueue(kind="opendata.refresh", organization=organization, user=request.user)
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
            services.add_version(resource=obj, data=data, filename=form.cleaned_data["upload"].name,
                                 user=request.user, checked_format=form.checked_format)
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
