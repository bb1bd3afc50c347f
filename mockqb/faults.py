"""Scripted faults for the Web Connector simulator: what goes wrong, and on which call.

Grammar of one fault (``--fault SPEC``, repeatable; ``FaultPlan.parse``)::

    KIND[:OP][@N][=VALUE]

N counts from 1, over the lifetime of one ``WebConnector`` (all its updates, so a fault hit in the
first update does not hit again in the next); without ``@N`` the fault applies to every occurrence.
OP is a QBWC operation name (``sendRequestXML``, ``receiveResponseXML``, …; any case). Kinds:

``lose-answer@N``            QuickBooks processes (and commits) the N-th message set, then the Web Connector
                             never delivers its receiveResponseXML: the update ends with an error, without
                             closeConnection.
``lose-request@N``           the reply to the N-th sendRequestXML call is lost in transit: QuickBooks never
                             sees that set; the update ends with an error, without closeConnection.
``hresult@N[=HRESULT]``      QuickBooks does not process the N-th message set; receiveResponseXML gets
                             response "" plus HRESULT (default 0x80040402) and its standard message.
``replay:OP@N``              the N-th call of OP is sent twice; both answers are recorded, the second is used.
``qb-unavailable[=HRESULT]`` QuickBooks cannot be opened (default 0x80040408): after authenticate the Web
                             Connector calls connectionError until the server answers "done".
``pause:OP@N=SECONDS``       wait SECONDS (through the clock) before the N-th call of OP.

"Message set" counts the non-empty sendRequestXML replies the Web Connector hands to QuickBooks (after
lose-request). Python-only: ``FaultPlan.before(op, n, callback)`` runs ``callback(op, n)`` before that call,
so a test can e.g. restart the server between two calls. Bad specs raise ``FaultSpecError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import MockQbError
from .soap import OPERATIONS

#: Standard messages of the HRESULTs QuickBooks' request processor throws (PROTOCOL.md §D).
HRESULT_MESSAGES = {
    "0x80040400": "QuickBooks found an error when parsing the provided XML text stream.",
    "0x80040401": "Could not access QuickBooks.",
    "0x80040402": "Unexpected error. Check the qbsdklog.txt file for possible, additional information.",
    "0x80040408": "Could not start QuickBooks.",
    "0x80040416": "If QuickBooks is not running, the company data file name must be supplied to BeginSession.",
}
DEFAULT_SET_HRESULT = "0x80040402"
DEFAULT_UNAVAILABLE_HRESULT = "0x80040408"
GRAMMAR = "KIND[:OP][@N][=VALUE]"

Callback = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class _Rule:
    """Which parts a kind takes: each is "required", "optional" or "forbidden"."""

    op: str
    n: str
    value: str
    usage: str


_RULES = {
    "lose-answer": _Rule("forbidden", "optional", "forbidden", "lose-answer@N"),
    "lose-request": _Rule("forbidden", "optional", "forbidden", "lose-request@N"),
    "hresult": _Rule("forbidden", "optional", "optional", "hresult@N=0x80040402"),
    "replay": _Rule("required", "optional", "forbidden", "replay:OP@N"),
    "qb-unavailable": _Rule("forbidden", "forbidden", "optional", "qb-unavailable[=0x80040408]"),
    "pause": _Rule("required", "optional", "required", "pause:OP@N=SECONDS"),
}
_SPEC = re.compile(r"(?P<kind>[^:@=]*)(?::(?P<op>[^@=]*))?(?:@(?P<n>[^=]*))?(?:=(?P<value>.*))?", re.DOTALL)
_OPS = {op.lower(): op for op in OPERATIONS}


class FaultSpecError(MockQbError, ValueError):
    """A fault spec that does not follow the grammar; the message names the spec and the problem."""

    def __init__(self, spec: str, problem: str) -> None:
        super().__init__(f"bad fault spec {spec!r}: {problem} (grammar {GRAMMAR}; kinds: "
                         + ", ".join(rule.usage for rule in _RULES.values()) + ")")
        self.spec = spec
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Fault:
    """One scripted fault; ``str()`` gives its canonical spec."""

    kind: str
    op: str | None = None
    n: int | None = None
    value: str | None = None

    def __str__(self) -> str:
        return (self.kind + (f":{self.op}" if self.op else "") + (f"@{self.n}" if self.n else "")
                + (f"={self.value}" if self.value is not None else ""))

    def hits(self, kind: str, n: int, op: str | None = None) -> bool:
        """Whether this fault applies to occurrence ``n`` (of ``op``, for per-call kinds)."""
        return self.kind == kind and self.op == op and self.n in (None, n)


def hresult_message(hresult: str) -> str:
    """The standard message for ``hresult``, or a generic one naming it."""
    return HRESULT_MESSAGES.get(hresult, f"QuickBooks returned an error (HRESULT {hresult}).")


def parse_fault(spec: str) -> Fault:
    """Parse one ``KIND[:OP][@N][=VALUE]`` spec; raise ``FaultSpecError`` saying what is wrong."""
    match = _SPEC.fullmatch(spec.strip())
    assert match is not None  # every string matches: each part is optional and excludes the separators
    kind = match["kind"].lower()
    rule = _RULES.get(kind)
    if rule is None:
        raise FaultSpecError(spec, f"unknown kind {match['kind']!r}")
    op = _part(spec, "OP", match["op"], rule.op, rule.usage)
    n = _part(spec, "@N", match["n"], rule.n, rule.usage)
    value = _part(spec, "=VALUE", match["value"], rule.value, rule.usage)
    return Fault(kind, _op(spec, op), _count(spec, n), _value(spec, kind, value))


def _part(spec: str, name: str, text: str | None, need: str, usage: str) -> str | None:
    if text is None and need == "required":
        raise FaultSpecError(spec, f"{name} is required; write {usage}")
    if text is not None and need == "forbidden":
        raise FaultSpecError(spec, f"this kind takes no {name}; write {usage}")
    return text


def _op(spec: str, text: str | None) -> str | None:
    if text is None:
        return None
    if text.lower() not in _OPS:
        raise FaultSpecError(spec, f"unknown operation {text!r}; known: {', '.join(OPERATIONS)}")
    return _OPS[text.lower()]


def _count(spec: str, text: str | None) -> int | None:
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise FaultSpecError(spec, f"N must be a whole number from 1, not {text!r}")
    return int(text)


def _value(spec: str, kind: str, text: str | None) -> str | None:
    if kind == "pause":
        return _seconds(spec, text or "")
    if kind == "hresult":
        return _hresult(spec, text or DEFAULT_SET_HRESULT)
    if kind == "qb-unavailable":
        return _hresult(spec, text or DEFAULT_UNAVAILABLE_HRESULT)
    return text


def _hresult(spec: str, text: str) -> str:
    if not re.fullmatch(r"0[xX][0-9A-Fa-f]{8}", text):
        raise FaultSpecError(spec, f"HRESULT must look like 0x80040402, not {text!r}")
    return "0x" + text[2:].upper()


def _seconds(spec: str, text: str) -> str:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise FaultSpecError(spec, f"SECONDS must be a number >= 0, not {text!r}")
    return text


class FaultPlan:
    """The faults of one simulated update, queried by the Web Connector simulator as it goes.

    Build it from specs (``FaultPlan.parse(["lose-answer@2"])``) or fluently
    (``FaultPlan().lose_answer(2).pause("sendRequestXML", 30, n=1)``); every builder returns the plan.
    """

    def __init__(self, faults: Iterable[Fault | str] = ()) -> None:
        self.faults: list[Fault] = []
        self._callbacks: list[tuple[str, int | None, Callback]] = []
        for fault in faults:
            self.add(fault)

    @classmethod
    def parse(cls, specs: str | Iterable[str]) -> FaultPlan:
        """A plan from one spec or several (as repeated ``--fault`` options give them)."""
        return cls([specs] if isinstance(specs, str) else specs)

    def __str__(self) -> str:
        return " ".join(str(fault) for fault in self.faults) or "(no faults)"

    def add(self, fault: Fault | str) -> FaultPlan:
        """Add a ``Fault`` or a spec string (validated as ``parse_fault`` does)."""
        self.faults.append(parse_fault(str(fault)))
        return self

    # -- builders -------------------------------------------------------------------------------------
    def lose_answer(self, n: int | None = None) -> FaultPlan:
        return self.add(Fault("lose-answer", n=n))

    def lose_request(self, n: int | None = None) -> FaultPlan:
        return self.add(Fault("lose-request", n=n))

    def hresult(self, n: int | None = None, hresult: str = DEFAULT_SET_HRESULT) -> FaultPlan:
        return self.add(Fault("hresult", n=n, value=hresult))

    def replay(self, op: str, n: int | None = None) -> FaultPlan:
        return self.add(Fault("replay", op=op, n=n))

    def qb_unavailable(self, hresult: str = DEFAULT_UNAVAILABLE_HRESULT) -> FaultPlan:
        return self.add(Fault("qb-unavailable", value=hresult))

    def pause(self, op: str, seconds: float, n: int | None = None) -> FaultPlan:
        return self.add(Fault("pause", op=op, n=n, value=repr(float(seconds))))

    def before(self, op: str, n: int | None, callback: Callback) -> FaultPlan:
        """Run ``callback(op, n)`` before the n-th call of ``op`` (every call when ``n`` is None)."""
        where = f"before({op!r}, {n!r})"
        canonical = _op(where, op) or op
        self._callbacks.append((canonical, _count(where, None if n is None else str(n)), callback))
        return self

    # -- queries (used by the Web Connector simulator) ------------------------------------------------
    def find(self, kind: str, n: int, op: str | None = None) -> Fault | None:
        """The first fault of ``kind`` that applies to occurrence ``n`` (of ``op``), if any."""
        return next((fault for fault in self.faults if fault.hits(kind, n, op)), None)

    def unavailable_hresult(self) -> str | None:
        """The HRESULT QuickBooks fails to open with, or None when it opens."""
        fault = next((f for f in self.faults if f.kind == "qb-unavailable"), None)
        return None if fault is None else fault.value

    def pause_seconds(self, op: str, n: int) -> float:
        """Total seconds to wait before the n-th call of ``op``."""
        return sum(float(f.value or 0) for f in self.faults if f.hits("pause", n, op))

    def callbacks(self, op: str, n: int) -> list[Callback]:
        return [cb for cb_op, cb_n, cb in self._callbacks if cb_op == op and cb_n in (None, n)]
