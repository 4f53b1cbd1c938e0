"""The audit trail: who did it (`trail.acting`, `trail.record`, the system and citizen actors)."""
