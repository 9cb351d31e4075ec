"""The order state machine: only the transitions in the table exist."""
from hypothesis import given
from hypothesis import strategies as st

from anjia.orders import state
from anjia.orders.state import Status

ALL_ACTIONS = state.ACTIONS + ["review", "refund", "teleport"]


@given(st.sampled_from(list(Status)), st.sampled_from(ALL_ACTIONS))
def test_transition_is_in_the_table_or_refused(status, action):
    if (status, action) in state.TRANSITIONS:
        assert state.next_status(status, action) == state.TRANSITIONS[(status, action)]
    else:
        try:
            state.next_status(status, action)
        except state.IllegalTransition:
            pass
        else:
            raise AssertionError(f"{action} allowed in {status}")


@given(st.lists(st.sampled_from(ALL_ACTIONS), max_size=30))
def test_any_walk_stays_on_the_map(actions):
    status = Status.PENDING_PAYMENT
    for action in actions:
        try:
            status = state.next_status(status, action)
        except state.IllegalTransition:
            continue
    assert status in Status


def test_terminal_states_are_terminal():
    for terminal in (Status.COMPLETED, Status.CANCELLED):
        assert state.allowed_actions(terminal) == []


def test_no_cancel_after_check_in():
    assert "cancel" not in state.allowed_actions(Status.IN_SERVICE)
    assert "cancel" in state.allowed_actions(Status.ON_THE_WAY)


def test_every_status_has_a_customer_label_and_tab():
    tabs = {s for group in state.TABS.values() for s in group}
    assert set(Status) == tabs == set(state.LABELS)
