"""The host's dimensions on an invoice or a line, and the one that is the QuickBooks class (T9).

Rule: only a dimension whose name is exactly ``class`` and whose type is exactly ``custom`` is the
QuickBooks class: no trimming, no case folding ("Class", "class " or type "standard" are other
dimensions). Its value must equal a QuickBooks class FullName (``Parent:Child``) letter for letter.
Every other dimension is kept in the payload as given and ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from qbbridge.core.contract import InvalidRecord

from .values import text

CLASS_NAME, CLASS_TYPE = "class", "custom"
CLASS_LIMIT = 159  # FullName in a ClassRef


def is_class(dimension: Mapping[str, Any]) -> bool:
    return dimension.get("name") == CLASS_NAME and dimension.get("type") == CLASS_TYPE


def class_of(dimensions: Iterable[Mapping[str, Any]]) -> str | None:
    """The QuickBooks class FullName these (validated) dimensions carry, or None."""
    return next((d["value"] for d in dimensions if is_class(d) and d.get("value")), None)


def clean_dimensions(key: str, field: str, given: Any) -> list[dict[str, Any]]:
    """Validated dimensions: a list (or its JSON text, from a CSV cell) of ``{"name", "type", "value"}``.

    Each needs a name (text). Dimensions other than the class are kept exactly as given; the class's
    value is trimmed text of at most 159 characters. At most one class dimension per invoice header or
    line.
    """
    if given is None or (isinstance(given, str) and not given.strip()):
        return []
    items = _as_list(key, field, given)
    cleaned = [_dimension(key, f"{field} {number}", item) for number, item in enumerate(items, 1)]
    classes = [d for d in cleaned if is_class(d)]
    if len(classes) > 1:
        raise InvalidRecord(key, field, f"has {len(classes)} dimensions named 'class' of type 'custom'; "
                                        "QuickBooks takes one class here. Keep one")
    if classes and not classes[0].get("value"):
        raise InvalidRecord(key, field, "the 'class' dimension has no value; give the QuickBooks class "
                                        "name or remove the dimension")
    return cleaned


def _as_list(key: str, field: str, given: Any) -> list[Any]:
    if isinstance(given, str):
        try:
            given = json.loads(given)
        except ValueError:
            example = '[{"name": "class", "type": "custom", "value": "Field"}]'
            problem = f"is text that is not a JSON list; write it like {example}"
            raise InvalidRecord(key, field, problem) from None
    if not isinstance(given, list):
        raise InvalidRecord(key, field, f"must be a list of dimensions, not {type(given).__name__}")
    return given


def _dimension(key: str, field: str, item: Any) -> dict[str, Any]:
    """A dimension as stored: a class dimension with its value trimmed and checked, any other one as given."""
    if not isinstance(item, Mapping):
        raise InvalidRecord(key, field, f"must be an object with name, type and value, not "
                                        f"{type(item).__name__}")
    name = item.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidRecord(key, field, "needs a name (text)")
    if not is_class(item):
        return dict(item)
    value = text(key, f"{field} value", item.get("value"), limit=CLASS_LIMIT, what="QuickBooks class names")
    return {**item, "value": value}
