"""The ``classes`` plugin: QuickBooks classes (Class), read into the importables (T5, T9).

``handler.ClassesHandler`` owns the ``classes`` object type; ``reading`` holds the schedule and row
helpers that the ``parts`` plugin shares. Behaviour and messages: docs/plugins/classes.md.
"""

from __future__ import annotations

from qbbridge.core import hookimpl

from .handler import ClassesHandler


@hookimpl
def qb_register_object_types(register):  # noqa: ANN001, ANN201 - pluggy passes arguments by name
    register(ClassesHandler())
