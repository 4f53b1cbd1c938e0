"""The national catalogue harvests the portal as ckanext-harvest's CKAN harvester does.

`CKANGather` below is that harvester's gather stage (ckanext/harvest/harvesters/ckanharvester.py: `gather_stage` and
`_search_for_datasets`), rewritten step for step because the package cannot be installed without CKAN itself: GET
`package_search` with rows=100, start=0, 100, ... and `sort=id asc`; organization filters as `organization:a OR
organization:b` (include) or `-organization:a -organization:b` (exclude) joined by spaces with, on an incremental run,
`metadata_modified:[<last error-free job's start minus one hour>Z TO *]`; the HTTP status is not looked at (a refused
search reads as no results); a page identical to the previous one is an error; the first empty page ends the search;
datasets seen twice are dropped; no dataset at all is the gather error "No datasets found at CKAN"."""

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone

from opendata import services
from opendata.models import Dataset, HarvestConsent
from portal.models import Organization

# engine-independent and heavy (an outside client end to end): runs in one stage (tests/conftest.py)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.once]


class SearchError(Exception):
    pass


class CKANGather:
    """ckanext-harvest's CKANHarvester gather stage, against a remote CKAN at `url`, with the source `config`."""

    def __init__(self, url, config=None):
        self.base_url = url.rstrip("/")
        self.config = config or {}
        self.gather_errors = []
        self.requests = []

    def _get_content(self, url):
        self.requests.append(url)
        return requests.get(url, timeout=60).text  # the status code is not checked, as in the harvester

    def _search_for_datasets(self, fq_terms=None):
        base_search_url = self.base_url + "/api/3/action/package_search"
        params = {"rows": "100", "start": "0", "sort": "id asc"}
        if fq_terms:
            params["fq"] = " ".join(fq_terms)
        pkg_dicts, pkg_ids, previous_content = [], set(), None
        while True:
            url = base_search_url + "?" + urlencode(params)
            content = self._get_content(url)
            if previous_content and content == previous_content:
                raise SearchError(f"The paging doesn't seem to work. URL: {url}")
            previous_content = content
            try:
                response_dict = json.loads(content)
            except ValueError:
                raise SearchError(f"Response from remote CKAN was not JSON: {content!r}") from None
            page = response_dict.get("result", {}).get("results", [])
            ids_in_page = {p["id"] for p in page}
            duplicates = ids_in_page & pkg_ids
            if duplicates:
                page = [p for p in page if p["id"] not in duplicates]
            pkg_ids |= ids_in_page
            pkg_dicts.extend(page)
            if len(page) == 0:
                break
            params["start"] = str(int(params["start"]) + int(params["rows"]))
        return pkg_dicts

    def gather(self, last_error_free_job_started=None):
        """The harvest objects' guids (dataset ids) a job would create; None when the gather failed."""
        fq_terms = []
        include = self.config.get("organizations_filter_include", [])
        exclude = self.config.get("organizations_filter_exclude", [])
        if include:
            fq_terms.append(" OR ".join(f"organization:{name}" for name in include))
        elif exclude:
            fq_terms.extend(f"-organization:{name}" for name in exclude)
        get_all_packages = True
        pkg_dicts = []
        if last_error_free_job_started and not self.config.get("force_all", False):
            get_all_packages = False
            since = (last_error_free_job_started - dt.timedelta(hours=1)).isoformat()
            try:
                pkg_dicts = self._search_for_datasets(fq_terms + [f"metadata_modified:[{since}Z TO *]"])
            except SearchError:
                get_all_packages = True
            if not get_all_packages and not pkg_dicts:
                return []
        if get_all_packages:
            try:
                pkg_dicts = self._search_for_datasets(fq_terms)
            except SearchError as exc:
                self.gather_errors.append(f"Unable to search remote CKAN for datasets:{exc}")
                return None
        if not pkg_dicts:
            self.gather_errors.append(f"No datasets found at CKAN: {self.base_url}")
            return []
        guids, seen = [], set()
        for pkg_dict in pkg_dicts:
            if pkg_dict["id"] in seen:
                continue
            seen.add(pkg_dict["id"])
            guids.append(pkg_dict["id"])
        return guids


def utc_naive(moment):
    """The harvester's job times: naive UTC, as CKAN stores them."""
    return timezone.localtime(moment, dt.UTC).replace(tzinfo=None)


def expected(qs):
    return sorted(str(pk) for pk in qs.values_list("pk", flat=True))


@pytest.fixture
def catalogue():
    """Several hundred published datasets over six organizations (changed over the last hours), a few drafts, a
    few datasets that refuse harvesting and one organization that refuses it for all its datasets."""
    call_command("make_fake_datasets", count=420, organizations=6, seed=5, stdout=open("/dev/null", "w"))
    orgs = list(Organization.objects.filter(slug__startswith="bench-org-").order_by("slug"))
    for i, dataset in enumerate(Dataset.objects.filter(organization=orgs[0]).order_by("name")[:9]):
        if i % 3 == 0:
            Dataset.objects.filter(pk=dataset.pk).update(allow_harvest=False)
        else:
            services.unpublish(dataset=dataset)
    HarvestConsent.objects.create(organization=orgs[5], allow_harvest=False)
    harvestable = Dataset.objects.published().filter(allow_harvest=True).exclude(organization=orgs[5])
    assert harvestable.count() > 300
    return {"orgs": orgs, "harvestable": harvestable}


def test_full_and_incremental_harvest_gathers_every_dataset_exactly_once(live_server, catalogue):
    harvestable, orgs = catalogue["harvestable"], catalogue["orgs"]
    harvester = CKANGather(live_server.url)
    job_started = utc_naive(timezone.now())
    guids = harvester.gather()
    assert harvester.gather_errors == []
    assert len(guids) == len(set(guids))
    assert sorted(guids) == expected(harvestable)
    assert len(harvester.requests) == -(-len(guids) // 100) + 1  # the pages with datasets, then the empty one

    # Incremental: what changed since an hour before the last job started, whatever it was.
    changed = list(Dataset.objects.filter(organization=orgs[2]).order_by("name")[:5])
    for dataset in changed:
        services.touch(dataset)
    harvester = CKANGather(live_server.url)
    guids = harvester.gather(last_error_free_job_started=job_started)
    since = timezone.make_aware(job_started - dt.timedelta(hours=1), dt.UTC)
    assert harvester.gather_errors == []
    assert len(guids) == len(set(guids))
    assert sorted(guids) == expected(harvestable.filter(metadata_modified__gte=since))
    assert {str(d.pk) for d in changed} <= set(guids)
    assert "metadata_modified" in harvester.requests[0] and "Z+TO+%2A%5D" in harvester.requests[0]

    # Nothing changed since a job that started after the last change: nothing gathered, no error.
    later = utc_naive(timezone.now() + dt.timedelta(hours=2))
    harvester = CKANGather(live_server.url)
    assert harvester.gather(last_error_free_job_started=later) == [] and harvester.gather_errors == []


@pytest.mark.parametrize("incremental", [False, True])
def test_organization_include_and_exclude_filters(live_server, catalogue, incremental):
    harvestable, orgs = catalogue["harvestable"], catalogue["orgs"]
    last = utc_naive(timezone.now() - dt.timedelta(hours=2)) if incremental else None
    since = timezone.make_aware(last - dt.timedelta(hours=1), dt.UTC) if incremental else None
    scope = harvestable.filter(metadata_modified__gte=since) if incremental else harvestable

    include = [orgs[1].slug, orgs[3].slug, orgs[5].slug]  # the last one refuses harvesting
    harvester = CKANGather(live_server.url, {"organizations_filter_include": include})
    guids = harvester.gather(last_error_free_job_started=last)
    assert harvester.gather_errors == [] and len(guids) == len(set(guids))
    assert sorted(guids) == expected(scope.filter(organization__slug__in=include)) != []

    exclude = [orgs[0].slug, orgs[4].slug]
    harvester = CKANGather(live_server.url, {"organizations_filter_exclude": exclude})
    guids = harvester.gather(last_error_free_job_started=last)
    assert harvester.gather_errors == [] and len(guids) == len(set(guids))
    assert sorted(guids) == expected(scope.exclude(organization__slug__in=exclude)) != []


def test_consent_is_carried_by_every_dataset(live_server, catalogue):
    orgs = catalogue["orgs"]
    refusing = Dataset.objects.published().filter(organization=orgs[5]).first()
    own_no = Dataset.objects.published().filter(allow_harvest=False).first()
    yes = catalogue["harvestable"].first()
    show = lambda d: requests.get(f"{live_server.url}/api/3/action/package_show", {"id": d.name},  # noqa: E731
                                  timeout=30).json()["result"]["allow_harvest"]
    assert (show(refusing), show(own_no), show(yes)) == ("False", "False", "True")
    names = requests.get(f"{live_server.url}/api/3/action/package_list", timeout=30).json()["result"]
    assert refusing.name not in names and own_no.name not in names and yes.name in names
