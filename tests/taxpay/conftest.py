import datetime as dt

import pytest

TODAY = dt.date(2025, 3, 1)  # tax year 2568: after the notice, before the first instalment falls due


@pytest.fixture(autouse=True)
def _tax_today(monkeypatch):
    """Amounts due depend on the day; the tests fix it inside the 2568 payment season."""
    monkeypatch.setattr("taxpay.services.clock.today", lambda: TODAY)
    return TODAY
