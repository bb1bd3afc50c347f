"""The exactly-once property under random fault schedules (hypothesis), end to end over SOAP.

Rule: whatever goes wrong during a run of updates — lost answers, lost requests, HRESULTs, replayed
calls, server restarts before any call, QuickBooks forgetting its stored answers, stale updates taken
over, records arriving between updates — (1) at no moment is a record in the company file twice, nor
marked synced without being there, and (2) after enough clean updates every submitted record is in the
company file exactly once and synced. A companion test breaks recovery on purpose and checks that this
property then fails, so it is not vacuous.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import psycopg
import pytest
import sqlalchemy as sa
from e2e_harness import COMPANY, PASSWORD, USER, Bridge, entries_by_key, forget_stored_answers, new_bridge
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from qbbridge.core import receiving, security
from qbbridge.core.store import outbox
from qbbridge.core.store.models import MessageSet, RecordState, SetState
from qbbridge.mockqb.clock import SimulatedClock
from qbbridge.mockqb.faults import FaultPlan
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.transports import WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector

pytestmark = pytest.mark.e2e

RESTART_BEFORE = ("serverVersion", "authenticate", "sendRequestXML", "receiveResponseXML", "getLastError",
                  "closeConnection")
HRESULTS = ("0x80040402", "0x80040400", "0x80040401")
CLEAN_UPDATES = 6  # enough to finish any recovery: each update ends at most one fault's consequences

Fault = tuple[str, str, int]  # (kind, op or HRESULT or "", n)

faults = st.one_of(
    st.tuples(st.just("lose_answer"), st.just(""), st.integers(1, 4)),
    st.tuples(st.just("lose_request"), st.just(""), st.integers(1, 4)),
    st.tuples(st.just("hresult"), st.sampled_from(HRESULTS), st.integers(1, 4)),
    st.tuples(st.just("replay"), st.sampled_from(["sendRequestXML", "receiveResponseXML"]), st.integers(1, 4)),
    st.tuples(st.just("restart"), st.sampled_from(RESTART_BEFORE), st.integers(1, 4)),
)


@dataclass(frozen=True, slots=True)
class Round:
    """One update of a schedule and what happens just before it."""

    new_records: int          # submitted before the update
    faults: tuple[Fault, ...]
    forget: bool              # QuickBooks drops its stored answers before the update
    wait: bool                # the clock passes the takeover timeout before the update


@dataclass(frozen=True, slots=True)
class Schedule:
    first_records: int
    read_lists: bool          # reads with an iterator add sets that can be hit too
    rounds: tuple[Round, ...]


rounds = st.builds(Round, new_records=st.integers(0, 3), faults=st.lists(faults, max_size=2).map(tuple),
                   forget=st.booleans(), wait=st.booleans())
schedules = st.builds(Schedule, first_records=st.integers(1, 7), read_lists=st.booleans(),
                      rounds=st.lists(rounds, min_size=1, max_size=4).map(tuple))

#: A schedule that must break exactly-once if recovery is broken: QuickBooks commits set 1, its answer
#: is lost, and the next update decides what to do about it.
LOST_ANSWER = Schedule(first_records=3, read_lists=False,
                       rounds=(Round(0, (("lose_answer", "", 1),), forget=False, wait=True),))


# --- the property --------------------------------------------------------------------------------------


def run_schedule(database_url: str, schedule: Schedule) -> None:
    """Play ``schedule`` against a fresh server and QuickBooks; assert the exactly-once property."""
    with mock.patch.object(security, "SCRYPT_N", 2**4):  # a cheap hash: logins are not what is tested
        bridge = new_bridge(database_url)
    clock = SimulatedClock()
    quickbooks = QuickBooks(sample_company(clock=clock))
    try:
        bridge.host.update_settings(COMPANY, read_lists=schedule.read_lists)
        keys = _submit(bridge, "k", schedule.first_records)
        for number, round_ in enumerate(schedule.rounds):
            keys += _submit(bridge, f"r{number}-", round_.new_records)
            _play(bridge, quickbooks, clock, round_)
            _check_never_twice(bridge, quickbooks)
        for _ in range(CLEAN_UPDATES):
            bridge.take_over()
            if _connector(bridge, quickbooks, clock, FaultPlan()).run_update().status == "No data exchange required":
                break
        _check_exactly_once(bridge, quickbooks, keys)
    finally:
        if bridge.app is not None:
            bridge.app.close()


def _submit(bridge: Bridge, prefix: str, count: int) -> list[str]:
    keys = [f"{prefix}{n}" for n in range(count)]
    if keys:
        bridge.submit_hours(keys)
    return keys


def _connector(bridge: Bridge, quickbooks: QuickBooks, clock: SimulatedClock, faults: FaultPlan) -> WebConnector:
    return WebConnector(WsgiTransport(bridge.wsgi), quickbooks, user=USER, password=PASSWORD, clock=clock,
                        faults=faults)


def _play(bridge: Bridge, quickbooks: QuickBooks, clock: SimulatedClock, round_: Round) -> None:
    plan = FaultPlan()
    for kind, what, n in round_.faults:
        if kind == "lose_answer":
            plan.lose_answer(n)
        elif kind == "lose_request":
            plan.lose_request(n)
        elif kind == "hresult":
            plan.hresult(n, what)
        elif kind == "replay":
            plan.replay(what, n)
        else:
            plan.before(what, n, lambda *_: bridge.restart())
    if round_.forget:
        forget_stored_answers(quickbooks)
    if round_.wait:
        bridge.take_over()
    _connector(bridge, quickbooks, clock, plan).run_update()


def _check_never_twice(bridge: Bridge, quickbooks: QuickBooks) -> None:
    """Holds after every update: nothing twice, nothing synced that QuickBooks does not have."""
    landed = entries_by_key(quickbooks.company)
    twice = {key: count for key, count in landed.items() if count > 1}
    assert not twice, f"records added to QuickBooks more than once: {twice}"
    synced = {key for key, state in bridge.states().items() if state == "synced"}
    assert synced <= set(landed), f"synced but not in QuickBooks: {sorted(synced - set(landed))}"


def _check_exactly_once(bridge: Bridge, quickbooks: QuickBooks, keys: list[str]) -> None:
    landed = entries_by_key(quickbooks.company)
    assert landed == dict.fromkeys(keys, 1), f"not exactly once: {dict(landed)} for {keys}"
    states = bridge.states()
    assert states == dict.fromkeys(keys, "synced"), f"not all synced after clean updates: {states}"


# --- databases, one per example ------------------------------------------------------------------------


#: Examples need no durability across machine crashes: a memory-backed folder spares the fsyncs.
_FAST_FOLDER = "/dev/shm" if Path("/dev/shm").is_dir() else None


@contextmanager
def _sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory(dir=_FAST_FOLDER) as folder:
        yield f"sqlite:///{Path(folder) / 'qbbridge.db'}"


@contextmanager
def _postgres_schema(server_url: str) -> Iterator[str]:
    """A URL whose connections land in a new schema, dropped afterwards."""
    admin = sa.make_url(server_url).set(drivername="postgresql")
    schema = f"p_{uuid.uuid4().hex}"
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        # synchronous_commit off: commits are still atomic and ordered, only not waited onto disk.
        options = f"-csearch_path={schema} -csynchronous_commit=off"
        yield admin.update_query_dict({"options": options}).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


COMMON = {"deadline": None, "derandomize": True, "database": None, "print_blob": True,
          "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


@settings(max_examples=40, **COMMON)
@given(schedules)
@example(LOST_ANSWER)
def test_exactly_once_under_random_fault_schedules_sqlite(schedule: Schedule) -> None:
    with _sqlite() as url:
        run_schedule(url, schedule)


def test_exactly_once_under_random_fault_schedules_postgresql(postgres_server_url: str) -> None:
    @settings(max_examples=8, **COMMON)
    @given(schedules)
    @example(LOST_ANSWER)
    def check(schedule: Schedule) -> None:
        with _postgres_schema(postgres_server_url) as url:
            run_schedule(url, schedule)

    check()


# --- the property is not vacuous ---------------------------------------------------------------------


def _resend_everything(run, status_set, asked, parsed) -> None:  # receiving._apply_status's signature
    """Broken on purpose: ignore QuickBooks' stored answers and treat every uncertain record as absent."""
    run.plan.asking = None
    for row in outbox.records_of_set(run.session, asked).values():
        if row.state == RecordState.UNCERTAIN:
            outbox.mark_pending(row, run.now)
            row.attempted_update_id = None
    run.session.get_one(MessageSet, asked).state = SetState.RESOLVED
    run.plan.advance()


def test_the_property_fails_when_recovery_resends_blindly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(receiving, "_apply_status", _resend_everything)

    @settings(max_examples=10, phases=[Phase.explicit, Phase.generate], **COMMON)
    @given(schedules)
    @example(LOST_ANSWER)
    def check(schedule: Schedule) -> None:
        with _sqlite() as url:
            run_schedule(url, schedule)

    with pytest.raises(AssertionError, match="more than once|not exactly once"):
        check()
