"""The REST API's shared pieces: the router and tenancy mixin for viewsets, login, pagination, parsers and the
OpenAPI schema. Each piece is its own module, since DRF imports some of them from its settings while it loads."""
