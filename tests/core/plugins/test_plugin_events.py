"""core/events.py: frozen, slotted, past-tense event values with stable kinds, all in the Event union."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from qbbridge.core import events

CLASSES = sorted((cls for _, cls in inspect.getmembers(events, inspect.isclass)
                  if cls.__module__ == events.__name__), key=lambda cls: cls.__name__)
DOCS = (Path(__file__).resolve().parents[3] / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")


def test_the_union_holds_every_event_class() -> None:
    assert sorted(EVENT.__name__ for EVENT in events.EVENT_TYPES) == [cls.__name__ for cls in CLASSES]
    assert len(CLASSES) == 11


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_events_are_frozen_slotted_and_carry_the_company(cls: type) -> None:
    params = dataclasses.fields(cls)
    assert params[0].name == "company"
    event = cls(*(f"v{i}" for i in range(len(params))))
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.company = "other"  # type: ignore[misc]  # the point of the test
    assert not hasattr(event, "__dict__")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_event_is_documented_with_its_fields(cls: type) -> None:
    fields = ", ".join(f"`{field.name}`" for field in dataclasses.fields(cls))
    assert f"| `{cls.__name__}` | {fields} |" in DOCS


def test_event_kind_is_snake_case_of_the_class_name() -> None:
    assert events.event_kind(events.RecordLinked("Co", "invoices", "7", "1A-1")) == "record_linked"
    assert events.event_kind(events.MessageSetUncertain("Co", "ms-1")) == "message_set_uncertain"
    assert len({events.event_kind(cls(*(["x"] * len(dataclasses.fields(cls))))) for cls in CLASSES}) == 11
