"""The ticket state machine, pure: only the listed moves exist; nothing goes backwards except the
customer's reopening of a resolved ticket."""
import pytest

from anjia.support import state
from anjia.support.state import IllegalTransition, Status

ORDER = [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]


def test_the_happy_path():
    s = Status.NEW
    for action in ["assign", "start", "resolve", "confirm"]:
        s = state.next_status(s, action)
    assert s == Status.CLOSED
    assert state.next_status(Status.RESOLVED, "auto_close") == Status.CLOSED


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", state.ACTIONS + ["close", "cancel"])
def test_no_move_goes_backwards_or_skips_a_step(status, action):
    if not state.allows(status, action):
        with pytest.raises(IllegalTransition):
            state.next_status(status, action)
        return
    to = state.next_status(status, action)
    step = ORDER.index(to) - ORDER.index(status)
    if action == "reopen":
        assert (status, to) == (Status.RESOLVED, Status.IN_PROGRESS)
    else:
        assert step in (0, 1), (status, action, to)  # forward one step, or a hand-over in place


def test_closed_is_final_and_new_cannot_be_worked_before_assignment():
    assert state.allowed_actions(Status.CLOSED) == []
    assert state.allowed_actions(Status.NEW) == ["assign"]
    assert not state.allows("bogus", "assign")
