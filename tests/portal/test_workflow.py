import pytest
from django.core.exceptions import ValidationError
from django.db import models

from portal.machinery.workflow import Transition, TransitionNotAllowed, Workflow


class State(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SENT = "sent", "ส่งแล้ว"
    DONE = "done", "เสร็จ"
    REJECTED = "rejected", "ไม่รับ"


FLOW = Workflow(State, {
    State.DRAFT: [State.SENT],
    State.SENT: [State.DONE, (State.REJECTED, {"needs_note": True})],
})


def test_allowed_transition_is_returned():
    assert FLOW.check("draft", "sent") == Transition("draft", "sent", False)
    assert FLOW.allowed_targets("sent") == ["done", "rejected"]
    assert FLOW.allowed_targets("done") == []


def test_not_allowed_raises_a_validation_error_with_a_thai_message():
    with pytest.raises(TransitionNotAllowed) as exc:
        FLOW.check("draft", "done")
    assert isinstance(exc.value, ValidationError)
    assert "ร่าง" in exc.value.messages[0] and "เสร็จ" in exc.value.messages[0]


def test_needs_note():
    with pytest.raises(TransitionNotAllowed):
        FLOW.check("sent", "rejected", "  ")
    assert FLOW.check("sent", "rejected", "เอกสารไม่ครบ").needs_note


def test_table_with_unknown_state_is_refused():
    with pytest.raises(ValueError):
        Workflow(State, {State.DRAFT: ["nowhere"]})
