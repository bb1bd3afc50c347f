"""The state diagram of docs/engine.md, generated from ``TRANSITIONS`` (h11's make-state-diagrams).

Rule: the diagram is never edited by hand. ``mermaid()`` renders the table; ``replace_block()`` puts
that text between the two marker lines of a Markdown document and leaves the prose around it alone.
Regenerate after changing the table::

    python -m qbbridge.core.engine.diagram docs/engine.md

``tests/core/engine/test_engine_diagram.py`` fails when the file and the table disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from .calls import ALL_CALLS
from .states import TRANSITIONS, UpdateState

BEGIN = "<!-- state diagram: generated from TRANSITIONS by qbbridge.core.engine.diagram; do not edit -->"
END = "<!-- end of generated state diagram -->"


def edges(table: Mapping[tuple[UpdateState, type], frozenset[UpdateState]] = TRANSITIONS,
          ) -> list[tuple[UpdateState, UpdateState, tuple[str, ...]]]:
    """Every ``(source, target, call names)`` of ``table``, one per pair of states, in a fixed order
    (states in declaration order, calls in ``ALL_CALLS`` order), so the output never reshuffles."""
    found: list[tuple[UpdateState, UpdateState, tuple[str, ...]]] = []
    for source in UpdateState:
        for target in UpdateState:
            calls = tuple(call.__name__ for call in ALL_CALLS
                          if target in table.get((source, call), frozenset()))
            if calls:
                found.append((source, target, calls))
    return found


def mermaid(table: Mapping[tuple[UpdateState, type], frozenset[UpdateState]] = TRANSITIONS) -> str:
    """A fenced mermaid ``stateDiagram-v2`` block: ``authenticate`` enters, ``CLOSED`` is final."""
    lines = ["```mermaid", "stateDiagram-v2", f"    [*] --> {UpdateState.AUTHENTICATED.name} : authenticate"]
    for source, target, calls in edges(table):
        lines.append(f"    {source.name} --> {target.name} : {' / '.join(calls)}")
    lines += [f"    {UpdateState.CLOSED.name} --> [*]", "```"]
    return "\n".join(lines)


def replace_block(document: str, block: str) -> str:
    """``document`` with the text between the ``BEGIN`` and ``END`` marker lines replaced by ``block``.

    Raises ``ValueError`` when either marker is missing, rather than appending a second diagram.
    """
    head, begin, rest = document.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError("the document lacks the state diagram markers")
    return f"{head}{BEGIN}\n{block}\n{END}{tail}"


def current_block(document: str) -> str:
    """The text between the markers of ``document``, without the surrounding newlines."""
    _, _, rest = document.partition(BEGIN)
    block, end, _ = rest.partition(END)
    if not end:
        raise ValueError("the document lacks the state diagram markers")
    return block.strip("\n")


def main(argv: list[str]) -> int:
    """Rewrite the diagram of the Markdown file named by ``argv[0]`` in place."""
    if len(argv) != 1:
        sys.stderr.write("usage: python -m qbbridge.core.engine.diagram docs/engine.md\n")
        return 2
    path = Path(argv[0])
    path.write_text(replace_block(path.read_text(encoding="utf-8"), mermaid()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
