"""Wiring: settings in, a ready application out (store, plugins, registry, service, host API).

Rule: this is the one place that builds the object graph; nothing else creates engines, plugin managers
or services. ``wsgi()`` imports the SOAP adapter lazily so that host code never loads spyne. ``site()``
is everything ``qbbridge serve`` answers: the SOAP endpoint at ``SOAP_PATH`` (and at ``/``, for .qwc
files that point at the bare origin), a plain-text health line at ``GET /`` and the support page the
.qwc's AppSupport URL names (``GET /support``).
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

import pluggy
import sqlalchemy as sa
from sqlalchemy import orm as so

from .config import Settings
from .errors import PluginError
from .host import HostApi
from .plugins import Hooks, make_plugin_manager
from .registry import ObjectTypeRegistry, build_registry
from .service import WebConnectorService
from .store.base import utcnow
from .store.migrate import upgrade
from .store.uow import database_url, make_engine, make_session_factory

SOAP_PATH = "/qbwc"
SUPPORT_PATH = "/support"
_TEXT = "text/plain; charset=utf-8"


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

    def site(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """The WSGI application ``qbbridge serve`` runs (routes in the module rule; anything else: 404)."""
        path = environ.get("PATH_INFO", "").rstrip("/") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        plain_get = method in ("GET", "HEAD") and not environ.get("QUERY_STRING")
        if path == SUPPORT_PATH and method in ("GET", "HEAD"):
            return _reply(start_response, "200 OK", "text/html; charset=utf-8", self._support_page(), method)
        if path == "/" and plain_get:
            return self._health(start_response, method)
        if path in (SOAP_PATH, "/"):
            return self.wsgi()(environ, start_response)
        text = f"Not found. The Web Connector endpoint is {SOAP_PATH}; its WSDL is {SOAP_PATH}?wsdl.\n"
        return _reply(start_response, "404 Not Found", _TEXT, text, method)

    def _health(self, start_response: Callable[..., Any], method: str) -> Iterable[bytes]:
        try:
            with self.engine.connect():  # checkout pings the database (pool_pre_ping); no transaction
                pass
        except sa.exc.SQLAlchemyError:
            return _reply(start_response, "503 Service Unavailable", _TEXT,
                          "qbbridge is running but cannot reach its database; see the server log.\n", method)
        return _reply(start_response, "200 OK", _TEXT,
                      f"qbbridge is running. Web Connector endpoint: {SOAP_PATH}\n", method)

    def _support_page(self) -> str:
        name = html.escape(self.settings.app_name)
        return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{name} support</title></head>"
                f"<body><h1>{name}</h1><p>This application syncs QuickBooks Desktop through the QuickBooks "
                "Web Connector, with qbbridge. When an update fails, the Web Connector shows the reason; "
                "the person who runs this server sees every record's state with "
                "<code>qbbridge status</code>.</p></body></html>\n")

    def close(self) -> None:
        self.engine.dispose()


def _reply(start_response: Callable[..., Any], status: str, content_type: str, text: str,
           method: str) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [] if method == "HEAD" else [body]


def import_plugin_modules(names: Iterable[str], *,
                          blocked: Iterable[str] = ()) -> list[tuple[str, ModuleType]]:
    """``(plugin name, module)`` for each dotted module name, the name being its last dotted part.

    Modules whose plugin name is ``blocked`` are not imported. Raises ``PluginError`` naming the module
    that cannot be imported (whatever its import raised).
    """
    skipped = set(blocked)
    loaded = []
    for dotted in names:
        name = dotted.rpartition(".")[2]
        if name in skipped:
            continue
        try:
            module = importlib.import_module(dotted)
        except Exception as exc:  # a plugin module may raise anything while importing
            raise PluginError(dotted, f"module cannot be imported: {type(exc).__name__}: {exc}") from exc
        loaded.append((name, module))
    return loaded


def build_app(settings: Settings, *, extra_plugins: Iterable[tuple[str, object]] = (),
              load_entrypoints: bool = True, plugin_settings: dict[str, dict[str, Any]] | None = None,
              clock: Callable[[], datetime] = utcnow, migrate: bool = True) -> App:
    """Open (and migrate) the database, load plugins, and build the service and the host API.

    Plugins: ``extra_plugins``, then ``settings.plugin_modules`` (imported by name), then the entry points.
    Raises ``ConfigError`` for an unusable database URL and ``PluginError`` for a plugin that cannot load.
    """
    modules = import_plugin_modules(settings.plugin_modules, blocked=settings.disabled_plugins)
    extra = [*extra_plugins, *modules]
    engine = make_engine(database_url(settings.database_url))
    if migrate:
        upgrade(engine)
    factory = make_session_factory(engine)
    pm = make_plugin_manager(load_entrypoints=load_entrypoints, blocked=settings.disabled_plugins,
                             extra=extra)
    registry = build_registry(pm, plugin_settings or {})
    hooks = Hooks(pm)
    service = WebConnectorService(factory, registry, hooks, settings, clock)
    host = HostApi(factory, registry, clock)
    return App(settings, engine, factory, pm, registry, service, host)
