"""Company settings: the values plugins declare (``CompanySetting``), checked before they are stored.

Rule: a key ``"<object type>.<name>"`` is a setting declared by that object type's handler; its value
is stored as ``parse(value)`` and a value of None removes it (back to the default). A key of an object
type no plugin registered, a name the type does not declare, or a value ``parse`` refuses is refused
with the key, the value and the fix — all problems at once, and nothing is stored then. A key without a
dot is a free, core-level setting (e.g. ``read_lists``) and is stored as given. Unsetting a stored key
is always allowed. Stored values must be JSON (the settings column is JSON).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .contract import CompanySetting
from .errors import HandledError, PluginError
from .registry import ObjectTypeRegistry


@dataclass(frozen=True, slots=True)
class SettingView:
    """One company setting for display: its value (the default when not set) and what it means."""

    key: str
    value: Any
    default: Any
    help: str
    is_set: bool


def declared_settings(registry: ObjectTypeRegistry) -> dict[str, CompanySetting]:
    """Every declared setting by its stored key, in object type order."""
    return {f"{name}.{setting.name}": setting for name in registry.names()
            for setting in getattr(registry.handler(name), "company_settings", ())}


def checked_settings(registry: ObjectTypeRegistry, current: Mapping[str, Any],
                     values: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` with ``values`` applied (parsed; None removes), or ``HandledError`` naming every
    key that cannot be stored."""
    declared = declared_settings(registry)
    merged, problems = dict(current), []
    for key, value in values.items():
        if value is None and key in merged:
            del merged[key]  # unsetting is always allowed, even a key no plugin declares any more
            continue
        try:
            parsed = _parsed(registry, declared, key, value)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if value is not None:
            merged[key] = parsed
    if problems:
        raise HandledError("; ".join(problems) + "; nothing was changed")
    return merged


def settings_view(registry: ObjectTypeRegistry, settings: Mapping[str, Any]) -> list[SettingView]:
    """Every declared setting (its value or default), then the other stored keys, sorted."""
    declared = declared_settings(registry)
    rows = [SettingView(key, settings.get(key, setting.default), setting.default, setting.help,
                        key in settings) for key, setting in declared.items()]
    rows += [SettingView(key, settings[key], None, _undeclared_help(registry, key), True)
             for key in sorted(settings) if key not in declared]
    return rows


def _parsed(registry: ObjectTypeRegistry, declared: Mapping[str, CompanySetting], key: object,
            value: Any) -> Any:
    """The value to store under ``key``; ``ValueError`` with the message people read."""
    if not isinstance(key, str) or not key.strip():
        raise ValueError(f"setting name {key!r} is empty; use \"<object type>.<setting>\"")
    if "." not in key:
        return value  # a free core-level setting: stored as given
    object_type, _, name = key.partition(".")
    if object_type not in registry:
        known = ", ".join(registry.names()) or "none"
        raise ValueError(f"setting {key!r} names object type {object_type!r}, which no plugin registered "
                         f"(known object types: {known}); is its plugin disabled or not installed?")
    setting = declared.get(key)
    if setting is None:
        own = [other for other in declared if other.startswith(f"{object_type}.")]
        choices = f"its settings are {', '.join(own)}" if own else "it has no settings"
        raise ValueError(f"object type {object_type!r} has no setting {name!r}; {choices}")
    if value is None:
        return None
    return _parse(registry, key, setting, value)


def _parse(registry: ObjectTypeRegistry, key: str, setting: CompanySetting, value: Any) -> Any:
    try:
        parsed = setting.parse(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"setting {key!r}: {value!r} is not valid: {exc} ({setting.help})") from None
    try:
        json.dumps(parsed)
    except (TypeError, ValueError):
        plugin = registry.plugin_of(key.partition(".")[0])
        raise PluginError(plugin, f"setting {key!r} parsed {value!r} into {parsed!r}, which cannot be "
                                  "stored (not JSON); its parse must return JSON values") from None
    return parsed


def _undeclared_help(registry: ObjectTypeRegistry, key: str) -> str:
    object_type = key.partition(".")[0]
    if "." not in key:
        return "a core setting (not declared by any plugin)"
    if object_type in registry:
        return f"not declared by object type {object_type!r} (any more); unset it"
    return f"object type {object_type!r} is not registered (plugin disabled or not installed)"
