"""The plan of one update as data: JSON round trips, request ids, progress and answer pairing."""

from __future__ import annotations

import json
import random

from hypothesis import given
from hypothesis import strategies as st

from qbbridge.core.contract import QbResult, QbStatus
from qbbridge.core.engine.plan import SUMMARY_KEYS, Plan, pair_answers, summary_text, waiting_text

text = st.text(max_size=12)
keys = st.fixed_dictionaries({"object_type": text, "local_key": text})
reads = st.fixed_dictionaries({"object_type": text, "body": text, "iterate": st.booleans(), "label": text},
                              optional={"iterator_id": text})
counts = st.dictionaries(st.sampled_from(SUMMARY_KEYS), st.integers(0, 10**6))
plans = st.builds(
    Plan, qbxml_version=st.none() | st.sampled_from(["13.0", "16.0"]), company_file=text,
    recovery=st.lists(text, max_size=4), asking=st.none() | text, lookups=st.lists(keys, max_size=4),
    reads=st.lists(reads, max_size=3), exports=st.lists(text, max_size=4), in_flight=st.none() | text,
    next_request=st.integers(1, 10**6), total=st.integers(0, 10**4), done=st.integers(0, 10**4),
    counts=counts, failures=st.lists(text, max_size=3), stop_message=st.none() | text,
    failed_keys=st.lists(st.lists(text, min_size=2, max_size=2), max_size=3))


def ok(request_id: str) -> QbResult:
    return QbResult(request_id=request_id, tag="ClassAddRs", status=QbStatus(0, "Info", "Status OK"))


@given(plans)
def test_a_plan_survives_a_json_round_trip(plan):
    stored = json.loads(json.dumps(plan.to_dict()))
    assert Plan.from_dict(stored) == plan


@given(plans, st.dictionaries(st.text(min_size=1).filter(lambda k: k not in Plan.__dataclass_fields__),
                              st.integers() | text, max_size=3))
def test_unknown_keys_are_ignored(plan, extra):
    assert Plan.from_dict({**plan.to_dict(), **extra}) == plan


def test_missing_keys_take_their_defaults():
    assert Plan.from_dict({}) == Plan()
    assert Plan.from_dict({"total": 5}).counts == dict.fromkeys(SUMMARY_KEYS, 0)


@given(st.lists(st.integers(0, 20), max_size=12), st.integers(0, 11))
def test_request_ids_are_unique_and_increasing_across_calls_and_round_trips(sizes, persist_after):
    plan, issued = Plan(), []
    for n, size in enumerate(sizes):
        if n == persist_after:  # the next call is served from the database, maybe by another worker
            plan = Plan.from_dict(json.loads(json.dumps(plan.to_dict())))
        ids = plan.next_request_ids(size)
        assert len(ids) == size
        issued += ids
    numbers = [int(request_id.removeprefix("r")) for request_id in issued]
    assert numbers == sorted(set(numbers))  # unique and strictly increasing
    assert all(request_id.startswith("r") and len(request_id) <= 50 for request_id in issued)


@given(st.integers(0, 10**4), st.integers(0, 10**4))
def test_progress_stays_between_0_and_99(total, done):
    assert 0 <= Plan(total=total, done=done).progress() <= 99


@given(st.integers(0, 200), st.lists(st.integers(1, 5), max_size=60))
def test_advancing_never_reaches_100_and_never_goes_back(total, steps):
    plan = Plan(total=total)
    seen = [plan.progress()]
    for units in steps:
        plan.advance(units)
        seen.append(plan.progress())
        assert plan.total >= plan.done
    assert seen == sorted(seen) and max(seen) <= 99


def test_progress_of_an_empty_plan_is_0_and_of_a_finished_one_99():
    assert Plan().progress() == 0
    finished = Plan(total=4)
    finished.advance(4)
    assert finished.progress() == 99  # 100 is the service's word for "finished", never the plan's


@given(st.lists(st.integers(1, 99), unique=True, max_size=10), st.data())
def test_answers_are_paired_by_request_id_whatever_their_order(numbers, data):
    sent = [f"r{n}" for n in numbers]
    answered = data.draw(st.lists(st.sampled_from(sent), unique=True) if sent else st.just([]))
    strangers = data.draw(st.lists(st.integers(100, 200).map(lambda n: f"r{n}"), unique=True, max_size=3))
    results = [ok(request_id) for request_id in answered + strangers]
    random.Random(data.draw(st.integers())).shuffle(results)
    pairs = pair_answers(sent, results)
    assert [request_id for request_id, _ in pairs] == sent  # in the order sent; strangers left out
    for request_id, result in pairs:
        if request_id in answered:
            assert result is not None and result.request_id == request_id
        else:
            assert result is None


def test_a_positional_match_would_be_wrong_here():
    pairs = pair_answers(["r1", "r2", "r3"], [ok("r3"), ok("r1")])
    assert [(request_id, result and result.request_id) for request_id, result in pairs] == [
        ("r1", "r1"), ("r2", None), ("r3", "r3")]


def test_summary_names_the_counts_in_a_fixed_order_and_says_when_nothing_happened():
    assert summary_text({"failed": 1, "synced": 3, "held": 0}) == "3 synced, 1 failed"
    assert summary_text(dict.fromkeys(SUMMARY_KEYS, 0)) == "nothing to do"
    plan = Plan()
    plan.count("synced", 2)
    plan.count("recovered")
    assert summary_text(plan.counts) == "2 synced, 1 recovered"


def test_waiting_text_groups_records_by_missing_name_in_first_seen_order() -> None:
    waiting = [["timesheets", "work block", "12", "customer/job", "Acme:Roof repair"],
               ["timesheets", "work block", "18", "employee", "Jane Doe"],
               ["timesheets", "work block", "15", "customer/job", "Acme:Roof repair"],
               ["timesheets", "work block", "15", "employee", "Jane Doe"]]
    assert waiting_text(waiting) == (
        "3 work blocks wait for: customer/job 'Acme:Roof repair' (blocks 12, 15); employee 'Jane Doe' "
        "(blocks 18, 15). Add them in QuickBooks, then click Update Selected again.")


def test_waiting_text_speaks_of_one_record_in_the_singular_and_of_each_type_apart() -> None:
    waiting = [["timesheets", "work block", "7", "employee", "Jane Doe"],
               ["invoices", "invoice", "INV-1", "class", "Field:East"]]
    assert waiting_text(waiting) == (
        "1 work block waits for: employee 'Jane Doe' (block 7). 1 invoice waits for: class 'Field:East' "
        "(invoice INV-1). Add them in QuickBooks, then click Update Selected again.")


def test_facts_merge_lists_and_mappings_and_replace_the_rest() -> None:
    plan = Plan()
    plan.add_facts("t", {"found": ["a"], "seen": {"x": 1}, "count": 1})
    plan.add_facts("t", {"found": ("b",), "seen": {"y": 2}, "count": 2})
    plan.add_facts("u", {"found": ["c"]})
    assert plan.facts == {"t": {"found": ["a", "b"], "seen": {"x": 1, "y": 2}, "count": 2}, "u": {"found": ["c"]}}
    assert Plan.from_dict(plan.to_dict()).facts == plan.facts


def test_waiting_text_says_each_distinct_fix_once_after_the_names() -> None:
    setting_fix = "Set parts.income_account with qbbridge company set, then click Update Selected again."
    waiting = [["parts", "part", "PN-1", "company setting", "parts.income_account", setting_fix],
               ["parts", "part", "PN-2", "company setting", "parts.income_account", setting_fix],
               ["invoices", "invoice", "INV-1", "class", "Field:East", ""]]
    assert waiting_text(waiting) == (
        "2 parts wait for: company setting 'parts.income_account' (parts PN-1, PN-2). 1 invoice waits for: "
        f"class 'Field:East' (invoice INV-1). {setting_fix} Add them in QuickBooks, then click Update "
        "Selected again.")


def test_waiting_text_asks_to_make_inactive_names_active() -> None:
    waiting = [["timesheets", "work block", "7", "inactive employee", "Former Worker", ""],
               ["timesheets", "work block", "8", "employee", "Jane Roe", ""]]
    assert waiting_text(waiting) == (
        "2 work blocks wait for: inactive employee 'Former Worker' (block 7); employee 'Jane Roe' (block 8). "
        "Make the inactive ones active in QuickBooks, then click Update Selected again. Add them in "
        "QuickBooks, then click Update Selected again.")
