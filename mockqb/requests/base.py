"""The contract between the processor and the request handlers.

Rule: a handler is ``handler(ctx, rq) -> Reply``. It reads the ``…Rq`` element (already schema-checked),
checks every rule *before* it changes the company, so a failed request leaves the company untouched, and
reports failures by raising ``RequestFailed``. The processor wraps the reply into the ``…Rs`` element.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..company import CompanyFile
from ..qbxml import Element
from ..status import OK, Status


@dataclass
class SessionState:
    """What lives as long as one QuickBooks session (one Web Connector update): open iterators."""

    app_name: str
    rng: random.Random
    iterators: dict[str, dict[str, Any]] = field(default_factory=dict)

    def new_iterator_id(self) -> str:
        """A GUID in braces, as QuickBooks writes iteratorIDs; deterministic given the company seed."""
        value = self.rng.getrandbits(128)
        text = f"{value:032x}"
        return f"{{{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}}}"


@dataclass
class Context:
    """Everything a handler may use: the company, the session and the message set's qbXML version."""

    company: CompanyFile
    session: SessionState
    version: str

    def version_at_least(self, wanted: str) -> bool:
        return _version_tuple(self.version) >= _version_tuple(wanted)


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


@dataclass
class Reply:
    """A handler's answer: Ret elements, the status, and extra ``…Rs`` attributes (retCount, iterator…)."""

    rets: list[Element] = field(default_factory=list)
    status: Status = OK
    attrs: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Context, Element], Reply]
