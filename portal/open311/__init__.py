"""Open311 GeoReport v2 at /open311/v2/: one endpoint for every organization (jurisdiction_id = its slug), with
the discovery document at /open311/discovery.{json,xml}.

The gateway (views, formats, errors, rate limits, API keys, fetching `media_url`) lives here; what can be filed
comes from the service apps, each publishing an `open311.providers.Provider` from its AppConfig's
`open311_provider()` (portal.registry). No app imports another for Open311.
"""
