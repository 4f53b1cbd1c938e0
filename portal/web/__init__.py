"""The web edge: middleware, /healthz, error pages and the core's own views (landing, organization home, job status)."""
