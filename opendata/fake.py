"""The benchmark data set (`manage.py make_fake_organizations`): what the catalogue derives from the datasets
copied to each new organization."""

from opendata import search
from opendata.models import Dataset, DatasetTerm, SearchFacet
from opendata.services import catalogue_changed, term_rows


def index_copied_datasets(organizations, dataset_pks):
    """Search words of the copied datasets, computed as the catalogue computes them (names differ per copy)."""
    if not dataset_pks:
        return
    by_org = {o.pk: o for o in organizations}
    template_facets = {}
    rows, search_texts = [], []
    datasets = (Dataset.objects.filter(pk__in=[pk for pks in dataset_pks.values() for pk in pks])
                .prefetch_related("tags", "groups", "resources"))
    for dataset in datasets:
        organization = by_org[dataset.organization_id]
        tags = [t.name for t in dataset.tags.all()]
        words = search.dataset_words(title=dataset.title, notes=dataset.notes, name=dataset.name,
                                     tag_names=tags, organization_names=[organization.name_th,
                                                                         organization.name_en])
        pairs = search.facet_pairs(organization_id=organization.pk, tag_names=tags,
                                   group_names=[g.name for g in dataset.groups.all()],
                                   formats={r.format for r in dataset.resources.all()},
                                   license_id=dataset.license_id, data_type=dataset.data_type)
        if pairs - set(template_facets):
            template_facets.update(search.facet_id_map(SearchFacet, pairs - set(template_facets)))
        dataset.search_text = " ".join(words)
        search_texts.append(dataset)
        rows += term_rows(dataset, words, sorted(template_facets[p] for p in pairs))
    Dataset.objects.bulk_update(search_texts, ["search_text"], batch_size=1000)
    DatasetTerm.objects.bulk_create(rows, batch_size=5000)
    catalogue_changed(shared=True)  # bulk rows no signal sees: the catalogue's kept answers are forgotten by hand
