from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import workflow
from ..models import Asset, Category, Complaint, ComplaintUpdate


class CategorySerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "organization", "code", "name_th", "name_en", "sla_days", "department"]


class AssetSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Asset
        fields = ["id", "organization", "code", "kind", "name", "village", "latitude", "longitude", "batch",
                  "scan_count"]


class UpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintUpdate
        fields = ["kind", "from_status", "to_status", "message", "is_public", "created_at"]


class ComplaintSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    updates = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["id", "tracking_code", "organization", "category", "category_code", "status", "channel",
                  "description", "latitude", "longitude", "address", "village", "department", "assignee",
                  "sla_deadline", "is_overdue", "created_at", "updated_at", "resolved_at", "duplicate_of", "updates"]

    @extend_schema_field(UpdateSerializer(many=True))
    def get_updates(self, obj):
        # The timeline starts with the "received" entry derived from the complaint row.
        return UpdateSerializer(obj.with_received(obj.updates.all()), many=True).data


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=workflow.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    public = serializers.BooleanField(default=True)


class ReplySerializer(serializers.Serializer):
    message = serializers.CharField(max_length=4000)
    public = serializers.BooleanField(default=True)
