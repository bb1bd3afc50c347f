"""Content models for the simulator's own qbXML checks: a small notation compiled to an automaton.

The notation describes the child elements of one complex element, in the schema's order::

    Name            exactly one <Name>
    Name? Name* Name+      optional / any number / one or more
    Name:STR31      the child's simple type is given here (a local declaration in the schema); without
                    it the type comes from the element table the ``Complex`` was built with
    (a b | c)?      a choice between the sequences ``a b`` and ``c``; ``?``, ``*`` or ``+`` may follow ``)``

Items separated by spaces are a sequence. ``Complex`` holds one content model plus the element's
attributes; ``Complex.mismatch(names)`` says what is wrong with a list of child names, or None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Union

from . import shapes_types
from .shapes_types import SimpleType

_TOKEN = re.compile(r"\(|\)[?*+]?|\||[A-Za-z0-9]+[?*+]?(?::[A-Za-z0-9]+)?")
_OCCURS = {"": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}

Node = tuple  # ("el", name, key|None) | ("seq", [Node]) | ("alt", [Node]) | ("rep", Node, min, max)


def parse(notation: str) -> Node:
    """Parse the notation into a tree of tuples; ValueError if it is malformed."""
    tokens = _TOKEN.findall(notation)
    if "".join(tokens) != "".join(notation.split()):
        raise ValueError(f"bad content-model notation: {notation!r}")
    node, end = _sequence([*tokens, ")"], 0)
    if end != len(tokens):
        raise ValueError(f"unbalanced parentheses in {notation!r}")
    return node


def _sequence(tokens: list[str], i: int) -> tuple[Node, int]:
    items = []
    while tokens[i] != "|" and not tokens[i].startswith(")"):
        if tokens[i] == "(":
            node, i = _choice(tokens, i + 1)
        else:
            node, i = _element(tokens[i]), i + 1
        items.append(node)
    return ("seq", items), i


def _choice(tokens: list[str], i: int) -> tuple[Node, int]:
    alternatives = []
    while True:
        alternative, i = _sequence(tokens, i)
        alternatives.append(alternative)
        if i >= len(tokens) - 1:
            raise ValueError("unclosed parenthesis")
        if tokens[i] != "|":
            return _repeat(("alt", alternatives), tokens[i][1:]), i + 1
        i += 1


def _element(token: str) -> Node:
    name, _, key = token.partition(":")
    suffix = name[-1] if name[-1] in "?*+" else ""
    return _repeat(("el", name.rstrip("?*+"), key or None), suffix)


def _repeat(node: Node, suffix: str) -> Node:
    low, high = _OCCURS[suffix]
    return node if (low, high) == (1, 1) else ("rep", node, low, high)


class Automaton:
    """A Thompson NFA over child-element names (ε-edges are labelled None), run as a DFA whose state sets
    are memoised as they are met (bounded: only names of the model are memoised)."""

    def __init__(self, node: Node) -> None:
        self.edges: list[list[tuple[str | None, int]]] = []
        start = self._state()
        self.accept = self._build(node, start)
        self.alphabet = frozenset(label for edges in self.edges for label, _ in edges if label)
        self.initial = self.closure({start})
        self._steps: dict[tuple[frozenset[int], str], frozenset[int]] = {}

    def _state(self) -> int:
        self.edges.append([])
        return len(self.edges) - 1

    def _link(self, source: int, label: str | None) -> int:
        target = self._state()
        self.edges[source].append((label, target))
        return target

    def _build(self, node: Node, start: int) -> int:
        kind = node[0]
        if kind == "el":
            return self._link(start, node[1])
        if kind == "seq":
            for child in node[1]:
                start = self._build(child, start)
            return start
        if kind == "alt":
            end = self._state()
            for child in node[1]:
                self.edges[self._build(child, self._link(start, None))].append((None, end))
            return end
        _, child, low, high = node
        entry = self._link(start, None)
        end = self._link(self._build(child, entry), None)
        if high is None:
            self.edges[end].append((None, entry))
        if low == 0:
            self.edges[start].append((None, end))
        return end

    def closure(self, states: set[int]) -> frozenset[int]:
        todo, seen = list(states), set(states)
        while todo:
            for label, target in self.edges[todo.pop()]:
                if label is None and target not in seen:
                    seen.add(target)
                    todo.append(target)
        return frozenset(seen)

    def step(self, states: frozenset[int], name: str) -> frozenset[int]:
        """The states after reading ``name`` (empty: ``name`` cannot come next)."""
        if name not in self.alphabet:
            return frozenset()
        key = (states, name)
        if key not in self._steps:
            targets = {target for s in states for label, target in self.edges[s] if label == name}
            self._steps[key] = self.closure(targets)
        return self._steps[key]

    def expected(self, states: frozenset[int]) -> list[str]:
        """Names that may come next, in schema order."""
        return list(dict.fromkeys(label for s in sorted(states) for label, _ in self.edges[s] if label))


@dataclass(frozen=True)
class Mismatch:
    """Why a list of children does not fit: ``index`` of the offending child (None: the list ended too
    early) and the names the model would have accepted there."""

    index: int | None
    expected: list[str]


class Unchecked:
    """The type of an element whose content the own checks do not examine (a request type the simulator
    does not describe; the XSD, when present, still judges it)."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED = Unchecked()

Type = Union[SimpleType, "Complex", Unchecked]


@dataclass(frozen=True, eq=False)
class Complex:
    """A complex element: its content model (notation above, or a simple type for text content with
    attributes), its attributes and which of them are required. ``table`` gives children's types."""

    content: str | SimpleType
    table: Mapping[str, Type] = field(repr=False, default_factory=dict)
    attrs: Mapping[str, SimpleType] = field(default_factory=dict)
    required: frozenset[str] = frozenset()

    @cached_property
    def automaton(self) -> Automaton:
        assert isinstance(self.content, str)
        return Automaton(parse(self.content))

    @cached_property
    def children(self) -> dict[str, Type]:
        """Each child name → its type; KeyError or ValueError at first use if the data is inconsistent."""
        found: dict[str, Type] = {}
        for label, key in _labels(parse(self.content) if isinstance(self.content, str) else ("seq", [])):
            typ = shapes_types.named(key) if key else self.table[label]
            if found.setdefault(label, typ) != typ:
                raise ValueError(f"{label} has two different types in {self.content!r}")
        return found

    def mismatch(self, names: Sequence[str]) -> Mismatch | None:
        """None if ``names`` (the child elements, in order) fit the content model."""
        machine = self.automaton
        states = machine.initial
        for index, name in enumerate(names):
            following = machine.step(states, name)
            if not following:
                return Mismatch(index, machine.expected(states))
            states = following
        return None if machine.accept in states else Mismatch(None, machine.expected(states))


def _labels(node: Node) -> list[tuple[str, str | None]]:
    if node[0] == "el":
        return [(node[1], node[2])]
    children = [node[1]] if node[0] == "rep" else node[1]
    return [pair for child in children for pair in _labels(child)]
