"""Wiring: settings in, a ready application out (store, plugins, registry, service, host API).

Rule: this is the one place that builds the object graph; nothing else creates engines, plugin managers
or services. ``wsgi()`` imports the SOAP adapter lazily so that host code never loads spyne.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pluggy
import sqlalchemy as sa
from sqlalchemy import orm as so

from .config import Settings
from .host import HostApi
from .plugins import Hooks, make_plugin_manager
from .registry import ObjectTypeRegistry, build_registry
from .service import WebConnectorService
from .store.base import utcnow
from .store.migrate import upgrade
from .store.uow import database_url, make_engine, make_session_factory


@dataclass
class App:
    settings: Settings
    engine: sa.Engine
    session_factory: so.sessionmaker[so.Session]
    plugin_manager: pluggy.PluginManager
    registry: ObjectTypeRegistry
    service: WebConnectorService
    host: HostApi
    _wsgi: Any = field(default=None, repr=False)

    def wsgi(self) -> Callable[..., Iterable[bytes]]:
        """The WSGI application serving the Web Connector's SOAP calls (and ``?wsdl``)."""
        if self._wsgi is None:
            from .soap import make_wsgi_app  # noqa: PLC0415 - spyne loads only when serving

            self._wsgi = make_wsgi_app(self.service, max_body_bytes=self.settings.max_body_bytes)
        return self._wsgi

    def close(self) -> None:
        self.engine.dispose()


def build_app(settings: Settings, *, extra_plugins: Iterable[tuple[str, object]] = (),
              load_entrypoints: bool = True, plugin_settings: dict[str, dict[str, Any]] | None = None,
              clock: Callable[[], datetime] = utcnow, migrate: bool = True) -> App:
    """Open (and migrate) the database, load plugins, and build the service and the host API.

    Raises ``ConfigError`` for an unusable database URL and ``PluginError`` for a plugin that cannot load.
    """
    engine = make_engine(database_url(settings.database_url))
    if migrate:
        upgrade(engine)
    factory = make_session_factory(engine)
    pm = make_plugin_manager(load_entrypoints=load_entrypoints, blocked=settings.disabled_plugins,
                             extra=extra_plugins)
    registry = build_registry(pm, plugin_settings or {})
    hooks = Hooks(pm)
    service = WebConnectorService(factory, registry, hooks, settings, clock)
    host = HostApi(factory, registry, clock)
    return App(settings, engine, factory, pm, registry, service, host)
