"""The plan documents the importer tests read: the three shipped seeds and the fixtures beside this file."""

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "innovation_plans" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WARNING_KEYS = {"code", "component", "year", "stated", "computed", "message"}


def seed(name):
    return (SEEDS / f"{name}_plan.txt").read_bytes()


def fixture(name):
    return (FIXTURES / name).read_bytes()


def codes(plan):
    return sorted(w["code"] for w in plan["warnings"])


def in_english(error):
    """The error as an English page shows it (its message is in one language at a time)."""
    from django.utils import translation

    with translation.override("en"):
        return str(error)
