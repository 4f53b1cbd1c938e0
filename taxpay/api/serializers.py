from django.urls import reverse
from rest_framework import serializers

from .. import rules
from ..models import Bill


class LandBuildingQuerySerializer(serializers.Serializer):
    use = serializers.ChoiceField(choices=rules.Use.ALL)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, help_text="baht")
    owner = serializers.ChoiceField(choices=rules.OwnerKind.ALL, default=rules.OwnerKind.INDIVIDUAL)
    year = serializers.IntegerField(min_value=2563, max_value=2700, default=2568, help_text="Buddhist-era year")
    organization = serializers.SlugField(
        required=False, help_text="the organization's slug: its own rates and relief for `year`; omitted: the "
                                  "national rates of the Act, no relief")


class SignboardQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=rules.SignKind.ALL)
    changing = serializers.ChoiceField(choices=["0", "1"])
    width_cm = serializers.DecimalField(max_digits=8, decimal_places=1, min_value=0)
    height_cm = serializers.DecimalField(max_digits=8, decimal_places=1, min_value=0)
    organization = serializers.SlugField(
        required=False, help_text="the organization's slug: its own signboard rates; omitted: the national rates")
    quarter = serializers.IntegerField(
        min_value=1, max_value=4, required=False,
        help_text="quarter of the tax year the sign was put up in (1-4): its first year pays 100/75/50/25 % of a "
                  "year's tax; omitted: a full year")


class EstimateLineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    amount = serializers.CharField(allow_blank=True)


class LandBuildingEstimateSerializer(serializers.Serializer):
    tax = serializers.CharField(help_text="baht, decimal string")
    lines = EstimateLineSerializer(many=True)


class SignboardEstimateSerializer(LandBuildingEstimateSerializer):
    units = serializers.IntegerField(help_text="500 cm² units (Signboard Tax Act section 7)")


class BillSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner_masked_id = serializers.CharField(source="owner.id_masked", read_only=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True, read_only=True)
    amount_due = serializers.SerializerMethodField(help_text="amount due today (tax + late charges), baht")
    outstanding = serializers.SerializerMethodField(help_text="tax not yet paid, baht")
    payment_status = serializers.SerializerMethodField()
    qr_payload = serializers.SerializerMethodField()
    qr_png = serializers.SerializerMethodField(help_text="URL of the QR as PNG (same permissions)")

    class Meta:
        model = Bill
        fields = ["id", "organization", "number", "version", "year", "tax_type", "status", "owner_masked_id",
                  "amount", "amount_due", "outstanding", "payment_status", "due_date", "instalments", "qr_payload",
                  "qr_png"]

    def _state(self, bill):
        return self.context["states"][bill.pk]

    def get_amount_due(self, bill) -> str:
        return str(self._state(bill).amount_due_now)

    def get_outstanding(self, bill) -> str:
        return str(self._state(bill).outstanding)

    def get_payment_status(self, bill) -> str:
        return self._state(bill).label

    def get_qr_payload(self, bill) -> str | None:
        return self.context["payloads"].get(bill.pk)

    def get_qr_png(self, bill) -> str | None:
        if not self.context["payloads"].get(bill.pk):
            return None
        return self.context["request"].build_absolute_uri(reverse("tax-bill-qr-png", args=[bill.pk]))
