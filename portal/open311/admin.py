"""Open311 API keys in the admin: the organization's administrator sees, names and switches off its keys; keys are
created with `manage.py create_api_key`, which prints the key once."""

from auditlog.registry import auditlog
from django.contrib import admin

from portal.admin.mixins import ScopedModelAdmin
from portal.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedModelAdmin):
    list_display = ["name", "prefix", "organization", "is_active", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["organization", "name", "is_active", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # keys are created with `manage.py create_api_key`, which prints the key once


auditlog.register(ApiKey, exclude_fields=["key_hash"])
