"""What one Web Connector update did: every SOAP call (``CallRecord``) and the outcome (``UpdateResult``),
as the Web Connector's log and status column would show them."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

_QBXML_ITEM = re.compile(r"<(\w+(?:Rq|Rs))\b([^>]*)>")
_ATTRIBUTE = re.compile(r'(statusCode|newMessageSetID|oldMessageSetID|messageSetStatusCode)="([^"]*)"')


@dataclass
class CallRecord:
    """One SOAP call as the Web Connector made it: ``reply`` is the server's parsed answer (kept even when a
    fault then discarded it), ``error`` why the call failed, ``notes`` the faults applied to it."""

    op: str
    args: dict[str, Any]
    reply: Any = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        args = ", ".join(f"{k}={_short(v)}" for k, v in self.args.items())
        outcome = f"!! {self.error}" if self.error else f"-> {_short(self.reply)}"
        return f"{self.op}({args}) {outcome}" + "".join(f"  [{note}]" for note in self.notes)

    def brief(self) -> str:
        """The call in one short line: qbXML shown as its requests or statuses, other arguments left out
        (``receiveResponseXML(TimeTrackingAddRs 0) -> 50``)."""
        carried = _qbxml_outline(self.args.get("response") or "")
        outcome = f"!! {self.error}" if self.error else f"-> {_qbxml_outline(self.reply) or _short(self.reply, 40)}"
        head = f"{self.op}({carried})" if carried else self.op
        return f"{head} {outcome}" + "".join(f"  [{note}]" for note in self.notes)


@dataclass
class UpdateResult:
    """The outcome of one update, as the Web Connector's status column and log would show it.

    ``ok``: no errors (``none``/``busy`` are not errors). ``status``: "Ok", "No data exchange required",
    "Application Busy", "Invalid password for username" or the first error message. ``progress``: the
    last percentage (0..100) receiveResponseXML returned. ``postpone_seconds``/``min_run_seconds``:
    authenticate's optional [2]/[3]. ``transcript``: every call in order.
    """

    ok: bool = False
    status: str = ""
    progress: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    postpone_seconds: int | None = None
    min_run_seconds: int | None = None
    server_version: str | None = None
    ticket: str | None = None
    close_message: str | None = None
    transcript: list[CallRecord] = field(default_factory=list)

    @property
    def ops(self) -> list[str]:
        """The operations called, in order (handy for asserting the call sequence)."""
        return [record.op for record in self.transcript]

    def calls(self, op: str) -> list[CallRecord]:
        return [record for record in self.transcript if record.op == op]

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict of everything above."""
        return asdict(self)

    def summary(self, *, brief: bool = False) -> str:
        """A readable report: status, progress, warnings, errors and the numbered call list.

        ``brief`` lists each call by name and outcome only, without its arguments.
        """
        lines = [f"Update {'OK' if self.ok else 'FAILED'}: {self.status} (progress {self.progress}%)"]
        more_errors = self.errors[1:] if self.errors[:1] == [self.status] else self.errors
        lines += [f"warning: {text}" for text in self.warnings] + [f"error: {text}" for text in more_errors]
        lines += [f"{i:3}. {record.brief() if brief else record}" for i, record in enumerate(self.transcript, 1)]
        return "\n".join(lines)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...' " + f"({len(str(value))} chars)"


def _qbxml_outline(value: Any) -> str:
    """``ClassAddRq`` for a request set, ``ClassAddRs 3100`` for a response, plus the error-recovery
    attributes of the message set; "" when ``value`` is not qbXML."""
    if not isinstance(value, str) or "<QBXML" not in value:
        return ""
    items = []
    for tag, attributes in _QBXML_ITEM.findall(value):
        found = dict(_ATTRIBUTE.findall(attributes))
        if tag in ("QBXMLMsgsRq", "QBXMLMsgsRs"):
            items += [f"{name}={value}" for name, value in found.items()]
        else:
            items.append(f"{tag} {found['statusCode']}" if "statusCode" in found else tag)
    return ", ".join(items) or "empty message set"
