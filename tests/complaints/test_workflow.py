import pytest

from complaints import workflow
from complaints.workflow import Status as S


def test_every_state_has_a_way_out_and_the_table_only_names_known_states():
    for (src, dst) in workflow.TRANSITIONS:
        assert src in S.values and dst in S.values
    for state in S.values:
        assert workflow.allowed_targets(state), f"{state} is a dead end"


@pytest.mark.parametrize("src,dst", [
    (S.SUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.IN_PROGRESS), (S.IN_PROGRESS, S.RESOLVED),
    (S.RESOLVED, S.CLOSED), (S.CLOSED, S.REOPENED), (S.REOPENED, S.IN_PROGRESS), (S.ACCEPTED, S.FORWARDED),
    (S.IN_PROGRESS, S.WAITING_CITIZEN), (S.WAITING_CITIZEN, S.IN_PROGRESS),
])
def test_allowed(src, dst):
    workflow.check(src, dst, note="เหตุผล")


@pytest.mark.parametrize("src,dst", [
    (S.SUBMITTED, S.RESOLVED), (S.CLOSED, S.IN_PROGRESS), (S.RESOLVED, S.IN_PROGRESS), (S.REJECTED, S.RESOLVED),
    (S.SUBMITTED, S.SUBMITTED), (S.FORWARDED, S.RESOLVED), (S.CLOSED, S.CLOSED),
])
def test_forbidden(src, dst):
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.check(src, dst, note="เหตุผล")


@pytest.mark.parametrize("dst", [S.RESOLVED, S.REJECTED, S.FORWARDED, S.WAITING_CITIZEN])
def test_note_required(dst):
    with pytest.raises(workflow.TransitionNotAllowed, match="หมายเหตุ"):
        workflow.check(S.ACCEPTED, dst, note="  ")
    workflow.check(S.ACCEPTED, dst, note="ซ่อมแล้ว")


def test_open_and_closed_partition_all_states():
    assert workflow.OPEN_STATES | workflow.CLOSED_STATES == set(S.values)
    assert not workflow.OPEN_STATES & workflow.CLOSED_STATES
    assert workflow.open311_status(S.REOPENED) == "open"
    assert workflow.open311_status(S.RESOLVED) == "closed"
