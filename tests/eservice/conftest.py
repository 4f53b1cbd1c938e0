import pytest


@pytest.fixture(autouse=True)
def _fresh_queue_calendars():
    """Row ids come back after a rolled-back test: no calendar memo may outlive its test."""
    from eservice.queues.selectors import forget_calendars

    forget_calendars()
    yield
    forget_calendars()
