"""The search index: each dataset's words with copies of what a search filters and counts by, and the facet
values numbered."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organization, OrganizationScoped

from .catalogue import Dataset


class IntegerListField(models.Field):
    """A list of integers: an `integer[]` column on PostgreSQL (it can sit in an index and be unnested in SQL), JSON
    text on other databases (read there with json_each)."""

    description = "List of integers"

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "opendata.models.IntegerListField", args, kwargs  # the path the migrations import

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        import json

        return json.loads(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        import json

        return json.loads(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        value = [int(v) for v in value]
        if connection.vendor == "postgresql":
            return value
        import json

        return json.dumps(value)


class SearchFacet(models.Model):
    """A facet value a search counts by (organization id, tag, category, resource format, licence, data type),
    numbered so each search word can carry its dataset's facet values as a short list of integers."""

    field = models.CharField(max_length=20)
    value = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("ค่าตัวกรองการค้นหา")
        verbose_name_plural = _("ค่าตัวกรองการค้นหา")
        constraints = [models.UniqueConstraint(fields=["field", "value"], name="od_facet_uniq")]

    def __str__(self):
        return f"{self.field}:{self.value}"


class DatasetTerm(OrganizationScoped):
    """One word of a dataset's title, description or tags (Thai split with PyThaiNLP): the search index.

    It carries copies of what a search filters, sorts and counts by (organization, published, last change,
    word in the title, the dataset's facet values as SearchFacet ids), so a query, its count, its page and every
    facet read this table's index alone (on PostgreSQL an index-only scan: the facet ids are INCLUDEd)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=100)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", null=True)
    published = models.BooleanField(default=False)
    modified = models.DateTimeField(null=True)
    in_title = models.BooleanField(default=False)
    facets = IntegerListField(default=list)

    organization_path = "dataset__organization"

    class Meta:
        verbose_name = _("คำค้นของชุดข้อมูล")
        verbose_name_plural = _("คำค้นของชุดข้อมูล")
        constraints = [models.UniqueConstraint(fields=["term", "dataset"], name="od_term_uniq")]
        indexes = [models.Index(fields=["term", "published", "organization", "modified", "in_title", "dataset"],
                                include=["facets"], name="od_term_search")]

    def __str__(self):
        return self.term
