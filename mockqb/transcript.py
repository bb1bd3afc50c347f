"""What one Web Connector update did: every SOAP call (``CallRecord``) and the outcome (``UpdateResult``),
as the Web Connector's log and status column would show them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
        """The call without its arguments: ``receiveResponseXML -> 50``."""
        outcome = f"!! {self.error}" if self.error else f"-> {_short(self.reply, 40)}"
        return f"{self.op} {outcome}" + "".join(f"  [{note}]" for note in self.notes)


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
        lines += [f"warning: {text}" for text in self.warnings] + [f"error: {text}" for text in self.errors]
        lines += [f"{i:3}. {record.brief() if brief else record}" for i, record in enumerate(self.transcript, 1)]
        return "\n".join(lines)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...' " + f"({len(str(value))} chars)"
