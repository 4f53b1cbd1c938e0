"""What a service app implements to appear in Open311, and what the gateway hands it.

A provider answers for its own service codes and its own request ids and returns None (or []) for anyone else's;
the gateway asks the service apps' providers in INSTALLED_APPS order. Rows use the GeoReport v2 field names
(`service_dict`-like dicts for services.json, request dicts with every field of a service request).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")


class Open311Error(Exception):
    """An answer in the GeoReport error format: 400 bad input, 403 key, 404 unknown resource, 429 too many."""

    def __init__(self, status: int, description: str):
        self.status, self.description = status, description
        super().__init__(description)


@dataclass(frozen=True)
class Query:
    """The filters of GET requests.json, already checked: `ids` (when given) overrides the rest."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: frozenset[str] = field(default_factory=frozenset)  # {"open"}, {"closed"} or empty (both)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    limit: int = 1000

    def apply(self, queryset, *, code_field: str, open_states, closed_states=None):
        """`queryset` narrowed by these filters, newest first, at most `limit`: each provider names its service-code
        field and its open states; closed is `closed_states` when given, else every state that is not open."""
        if self.ids:
            queryset = queryset.filter(tracking_code__in=self.ids)
        else:
            if self.service_codes:
                queryset = queryset.filter(**{f"{code_field}__in": self.service_codes})
            if self.statuses == {"open"}:
                queryset = queryset.filter(status__in=open_states)
            elif self.statuses == {"closed"}:
                queryset = (queryset.exclude(status__in=open_states) if closed_states is None
                            else queryset.filter(status__in=closed_states))
            if self.start:
                queryset = queryset.filter(created_at__gte=self.start)
            if self.end:
                queryset = queryset.filter(created_at__lte=self.end)
        return queryset.order_by("-created_at")[:self.limit]


def keywords(*phrases: str) -> str:
    """GeoReport's `keywords`: one comma-separated list of the phrases given (each may hold commas itself)."""
    found = (part.strip() for phrase in phrases for part in (phrase or "").split(","))
    return ",".join(dict.fromkeys(part for part in found if part))


class Provider:
    """Base class: override what the app offers. `request` is the Django request (for absolute URLs)."""

    # Providers are asked in this order (then INSTALLED_APPS order): one whose lookups are cached goes first, so
    # the busiest POST costs no query for the others' service codes.
    order = 100

    def services(self, organization) -> list[dict]:
        """Entries of services.json."""
        return []

    def definition(self, organization, service_code: str) -> dict | None:
        """{"service_code", "attributes": [...]} for one of this provider's services, else None."""
        return None

    def create(self, request, organization, service_code: str, media) -> dict | None:
        """File a request from `request.POST` (the key is already checked): {"service_request_id",
        "service_notice", "account_id"}, None when `service_code` is not this provider's; Open311Error when the
        input is wrong. `media` is the gateway's `Media`: `media.url` is the client's `media_url`, and
        `media.fetch(url, name)` downloads a file named by URL (raising a 400 that names `name` when it cannot)."""
        return None

    def request(self, request, organization, service_request_id: str) -> dict | None:
        """One of this provider's requests (service_request_id upper-cased), else None."""
        return None

    def requests(self, request, organization, query: Query) -> list[dict]:
        """This provider's requests matching `query`, newest first, at most `query.limit`."""
        return []


def providers(organization=None) -> list[Provider]:
    """Every service app's provider; with `organization`, only those of the services it has not switched off."""
    from portal.registry import service_apps
    from portal.selectors import services_off

    off = services_off() if organization is not None else {}
    found = [p for config in service_apps()
             if organization is None or organization.pk not in off.get(config.label, ())
             if (p := config.open311_provider()) is not None]
    return sorted(found, key=lambda provider: provider.order)
