"""Reads of the catalogue, with their joins declared (package_search serves up to 1000 datasets a page).

One module per topic, every public name re-exported here (callers use `opendata.selectors.<name>`):
- catalogue: the rows (datasets, resources, organizations, categories, tags) and their joins;
- version: the catalogue's version, the per-dataset stamps, and the reads kept under them;
- searching: package_search (query, facets, the page of ids), kept under the catalogue's version;
- publishing: the clerk's reads (stale datasets, a free URL name, the admin home's work).
"""

from .catalogue import (
    MAX_ROWS,
    dataset_by_id_or_name,
    datasets_in_order,
    groups_with_counts,
    harvestable_q,
    matching,
    organizations_page,
    organizations_with_counts,
    public_datasets,
    resource_by_id,
    tag_names,
    with_related,
)
from .publishing import free_dataset_name, publishing_work, stale_condition, stale_datasets, stale_datasets_q
from .searching import (
    SEARCH_SECONDS,
    facet_counts,
    facet_id_counts,
    facets_from_ids,
    ranked_facets,
    search_datasets,
    search_page,
)
from .version import (
    HARVESTABLE_NAMES,
    NAMES_SECONDS,
    SHARED_KEY,
    STAMP_KEY,
    STAMP_SECONDS,
    STATE_SECONDS,
    VERSION_KEY,
    catalog_state,
    catalogue_version,
    dataset_stamps,
    harvestable_names,
    kept_for_version,
    new_token,
    organization_names,
)

__all__ = [
    "HARVESTABLE_NAMES", "MAX_ROWS", "NAMES_SECONDS", "SEARCH_SECONDS", "SHARED_KEY", "STAMP_KEY", "STAMP_SECONDS",
    "STATE_SECONDS", "VERSION_KEY", "catalog_state", "catalogue_version", "dataset_by_id_or_name", "dataset_stamps",
    "datasets_in_order", "facet_counts", "facet_id_counts", "facets_from_ids", "free_dataset_name",
    "groups_with_counts", "harvestable_names", "harvestable_q", "kept_for_version", "matching", "new_token",
    "organization_names", "organizations_page", "organizations_with_counts", "public_datasets", "publishing_work",
    "ranked_facets", "resource_by_id", "search_datasets", "search_page", "stale_condition", "stale_datasets",
    "stale_datasets_q", "tag_names", "with_related",
]
