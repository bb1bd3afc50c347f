"""docs/engine.md carries the state diagram generated from TRANSITIONS, and the generator is honest."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbbridge.core.engine import diagram
from qbbridge.core.engine.calls import CloseConnection, SendRequestXml
from qbbridge.core.engine.states import TRANSITIONS, UpdateState

DOC = Path(__file__).resolve().parents[3] / "docs" / "engine.md"


def test_docs_engine_md_shows_the_current_table():
    assert diagram.current_block(DOC.read_text(encoding="utf-8")) == diagram.mermaid(), (
        "docs/engine.md is stale: run python -m qbbridge.core.engine.diagram docs/engine.md")


def test_every_transition_of_the_table_is_an_edge_and_nothing_else_is():
    drawn = {(source, target, call) for source, target, calls in diagram.edges() for call in calls}
    table = {(source, target, call.__name__) for (source, call), targets in TRANSITIONS.items()
             for target in targets}
    assert drawn == table


def test_a_changed_table_changes_the_diagram():
    changed = {**TRANSITIONS, (UpdateState.DONE, SendRequestXml): frozenset({UpdateState.STOPPED})}
    assert "DONE --> STOPPED : SendRequestXml" in diagram.mermaid(changed)
    assert "DONE --> STOPPED" not in diagram.mermaid()
    merged = diagram.mermaid({(UpdateState.READY, SendRequestXml): frozenset({UpdateState.CLOSED}),
                              (UpdateState.READY, CloseConnection): frozenset({UpdateState.CLOSED})})
    assert "READY --> CLOSED : SendRequestXml / CloseConnection" in merged


def test_replace_block_keeps_the_prose_and_refuses_a_document_without_markers():
    document = f"intro\n{diagram.BEGIN}\nold\n{diagram.END}\noutro\n"
    replaced = diagram.replace_block(document, "new")
    assert replaced == f"intro\n{diagram.BEGIN}\nnew\n{diagram.END}\noutro\n"
    assert diagram.current_block(replaced) == "new"
    with pytest.raises(ValueError, match="markers"):
        diagram.replace_block("no diagram here", "new")


def test_main_rewrites_a_stale_file_in_place(tmp_path):
    stale = tmp_path / "engine.md"
    stale.write_text(f"# t\n{diagram.BEGIN}\nstale\n{diagram.END}\n", encoding="utf-8")
    assert diagram.main([str(stale)]) == 0
    assert diagram.current_block(stale.read_text(encoding="utf-8")) == diagram.mermaid()
