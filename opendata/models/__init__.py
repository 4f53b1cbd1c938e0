"""The open-data catalogue: datasets with the thai-gdc metadata, categories (CKAN groups), tags, resources with
immutable file versions, and a datastore holding the rows of tabular resources so they can be queried.

One module per sub-domain; everything is importable from `opendata.models` as before (the migrations import
`opendata.models.ChoiceListField`, `IntegerListField` and `thai_language` from here)."""

from .catalogue import Dataset, DatasetQuerySet, Group, HarvestConsent, Tag
from .refresh import FeedSource
from .resources import DatastoreRecord, Resource, ResourceVersion
from .search import DatasetTerm, IntegerListField, SearchFacet
from .thai_gdc import DEFAULT_LICENSE, LICENSES, UPDATE_DAYS, ChoiceListField, ThaiGdc, thai_language

__all__ = [
    "DEFAULT_LICENSE", "LICENSES", "UPDATE_DAYS", "ChoiceListField", "Dataset", "DatasetQuerySet", "DatasetTerm",
    "DatastoreRecord", "FeedSource", "Group", "HarvestConsent", "IntegerListField", "Resource", "ResourceVersion", "SearchFacet",
    "Tag", "ThaiGdc", "thai_language",
]
