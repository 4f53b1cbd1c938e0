"""Shared machinery behind the services: background jobs, state machines (workflow) and caching."""
