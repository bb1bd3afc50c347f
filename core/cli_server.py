"""``qbbridge serve`` and ``qbbridge qwc``, and the settings options and app opening every command shares.

Rule: every command reads its settings the same way — ``--config FILE``, ``QBBRIDGE_*`` variables, then
its options (``config.load``) — and opens the app only through ``open_app``, which turns an unreachable
database into a ``HandledError`` and always closes the app. ``serve`` runs waitress on ``App.site``: the
SOAP endpoint at ``/qbwc`` (and ``/``), ``GET /`` health, ``GET /support``; Ctrl-C or SIGTERM stops it
cleanly with exit 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from waitress import create_server

from . import config
from .app import SOAP_PATH, App, build_app
from .config import Settings, redact_url
from .errors import HandledError
from .qwc import build_qwc

logger = logging.getLogger("qbbridge.serve")

SERVER_THREADS = 4
#: The setting options of commands that use the store and the plugins (serve takes every setting).
STORE_KEYS = ("database_url", "disabled_plugins", "plugin_modules")
ALL_KEYS = tuple(spec.key for spec in config.SETTING_SPECS)


# --- settings and the app, for every command -----------------------------------------------------


def add_settings_options(parser: argparse.ArgumentParser, keys: tuple[str, ...] = STORE_KEYS) -> None:
    """``--config FILE`` plus the options of the settings ``keys`` (names as in docs/settings.md)."""
    parser.add_argument("--config", type=Path, metavar="FILE", help="a TOML settings file ([qbbridge] table)")
    for spec in config.SETTING_SPECS:
        if spec.key in keys:
            _add_setting_option(parser, spec)


def _add_setting_option(parser: argparse.ArgumentParser, spec: config.SettingSpec) -> None:
    dest = spec.override_name
    if spec.key == "plugin_modules":
        parser.add_argument(spec.option, dest=dest, action="append", metavar="MODULE",
                            help="import a plugin module by dotted name and register it (repeatable)")
    else:
        parser.add_argument(spec.option, dest=dest, metavar=spec.key.rpartition(".")[2].upper(),
                            help=f"{spec.help} Environment variable: {spec.env}.")


def load_settings(args: argparse.Namespace) -> Settings:
    """Settings from ``--config``, the environment and the options this command was given."""
    overrides = {spec.override_name: getattr(args, spec.override_name, None) for spec in config.SETTING_SPECS}
    return config.load(getattr(args, "config", None), **overrides)


@contextmanager
def open_app(settings: Settings, *, migrate: bool = True) -> Iterator[App]:
    """The app for ``settings`` (database migrated unless ``migrate`` is false), closed afterwards.

    Plugin modules are also looked for in the current directory, where a plugin author keeps one.
    """
    if settings.plugin_modules and os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    try:
        app = build_app(settings, migrate=migrate)
    except sa.exc.OperationalError as exc:
        raise HandledError(f"cannot open the database {redact_url(settings.database_url)}: "
                           f"{str(exc.orig).strip().splitlines()[0]}") from exc
    try:
        yield app
    finally:
        app.close()


# --- serve ---------------------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``serve`` and ``qwc``."""
    serve = subparsers.add_parser("serve", help="serve the Web Connector's SOAP calls (waitress)",
                                  description=f"Serve the Web Connector endpoint at {SOAP_PATH} (also at /), "
                                              "a health line at GET / and the support page at GET /support.")
    add_settings_options(serve, ALL_KEYS)
    serve.set_defaults(func=command_serve)
    _add_qwc(subparsers)


def command_serve(args: argparse.Namespace) -> int:
    settings = load_settings(args)
    with open_app(settings) as app:
        server = _listen(app, settings)
        _configure_logging()  # after start-up, so migrations' chatter stays out of the server's log
        logger.info("qbbridge serving the Web Connector at %s (database %s; plugins: %s); Ctrl-C stops it",
                    ", ".join(_urls(server)), redact_url(settings.database_url), _plugin_names(app))
        with _sigterm_stops():
            server.run()  # returns after Ctrl-C or SIGTERM: waitress catches both and stops its threads
        server.close()
    logger.info("qbbridge stopped")
    return 0


def _listen(app: App, settings: Settings) -> Any:
    sockets = bind(settings.host, settings.port)
    try:
        return create_server(app.site, sockets=sockets, threads=SERVER_THREADS, ident="qbbridge")
    except BaseException:
        for sock in sockets:
            sock.close()
        raise


def bind(host: str, port: int) -> list[socket.socket]:
    """Sockets bound to every address of ``host`` (waitress listens on them), or ``HandledError``.

    Bound here rather than by waitress, which leaves its half-made server open when a bind fails.
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise HandledError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; check --host") from exc
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(addresses):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        raise HandledError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                           "choose another --host/--port") from exc
    return sockets


def _urls(server: Any) -> list[str]:
    listening = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    return [f"http://{f'[{host}]' if ':' in host else host}:{port}{SOAP_PATH}" for host, port in listening]


def _plugin_names(app: App) -> str:
    names = sorted(name for name, plugin in app.plugin_manager.list_name_plugin() if plugin is not None)
    return ", ".join(names) or "none"


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """While the block runs (main thread only), SIGTERM stops the server as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- qwc -----------------------------------------------------------------------------------------


def _add_qwc(subparsers: argparse._SubParsersAction) -> None:
    qwc = subparsers.add_parser("qwc", help="write the .qwc file a Web Connector user opens",
                                description="Write the .qwc file that adds this server to the Web Connector.")
    qwc.add_argument("--url", help=f"the server's SOAP URL, https unless localhost (default: http://"
                                   f"localhost:<port>{SOAP_PATH}, for a Web Connector on this machine)")
    qwc.add_argument("--user", required=True, help="the Web Connector user name (see `qbbridge user add`)")
    qwc.add_argument("--company", required=True, help="the company this user syncs (seeds the FileID)")
    qwc.add_argument("--output", "-o", metavar="FILE", help="where to write it (default: standard output)")
    qwc.add_argument("--run-every", type=int, metavar="MINUTES", help="the Web Connector's schedule "
                                                                      "(default: setting run_every_minutes)")
    qwc.add_argument("--support-url", help="the AppSupport page (default: the URL's origin + /support)")
    qwc.add_argument("--read-only", action="store_true", help="ask QuickBooks for read-only access")
    add_settings_options(qwc, ("database_url", "app_name", "port"))
    qwc.set_defaults(func=command_qwc)


def command_qwc(args: argparse.Namespace) -> int:
    settings = load_settings(args)
    url = args.url or _local_url(settings)
    minutes = settings.run_every_minutes if args.run_every is None else args.run_every
    text = build_qwc(app_name=settings.app_name, app_url=url, username=args.user, company=args.company,
                     support_url=args.support_url, read_only=args.read_only, run_every_minutes=minutes)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise HandledError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    print(f"Wrote {args.output} for user {args.user!r} ({url}); open it in the Web Connector "
          "(Add an application)", file=sys.stderr)
    return 0


def _local_url(settings: Settings) -> str:
    if settings.port == 0:
        raise HandledError("the port setting is 0 (any free port), so there is no default URL; give --url")
    return f"http://localhost:{settings.port}{SOAP_PATH}"
