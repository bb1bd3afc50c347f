"""The ``parts`` plugin: host part numbers as QuickBooks service items (ItemService; T5, T6).

``handler.PartsHandler`` owns the ``parts`` object type; ``payload`` checks submitted parts,
``settings`` declares the company settings, ``qbxml`` builds the requests and reads the items,
``answers`` turns QuickBooks' answers into outcomes. Behaviour and messages: docs/plugins/parts.md.
"""

from __future__ import annotations

from qbbridge.core import hookimpl

from .handler import PartsHandler


@hookimpl
def qb_register_object_types(register):  # noqa: ANN001, ANN201 - pluggy passes arguments by name
    register(PartsHandler())
