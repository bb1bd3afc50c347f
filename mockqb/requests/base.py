"""The contract between the processor and the request handlers.

Rule: a handler is ``handler(ctx, rq) -> Reply``. It reads the ``…Rq`` element (already schema-checked),
checks every rule *before* it changes the company, so a failed request leaves the company untouched, and
reports failures by raising ``RequestFailed``. The processor wraps the reply into the ``…Rs`` element.
Nothing the schema allows is dropped silently: a handler acts on an element, ignores it with the 530
warning where QuickBooks Desktop ignores it too ("not in QBD" in Intuit's catalogue), or refuses it with
1030 (the helpers at the end of this module).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..company import CompanyFile
from ..qbxml import Element
from ..status import OK, WARN, Status, unsupported


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


# -- what a handler does not act on ---------------------------------------------------------------
def field_not_supported(field: str) -> Status:
    """530 (Warn, data returned): a field this QuickBooks edition ignores; text from Intuit's table."""
    return Status(530, WARN, f'The field "{field}" is not supported by this implementation.')


def refuse_unsupported(element: Element, supported: Iterable[str], where: str) -> None:
    """Raise ``unsupported`` for the first child of ``element`` outside ``supported``."""
    allowed = set(supported)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in allowed:
            raise unsupported(f"{child.tag} in {where}")


def refuse_attributes(element: Element, where: str) -> None:
    """Raise ``unsupported`` for any attribute of ``element``: in an Add body that is ``defMacro``, which
    names the new object for a later request's ``useMacro``. No request mockqb simulates takes a macro,
    so one is refused rather than dropped."""
    for name in element.attrib:
        raise unsupported(f"{name} in {where}")
