"""``serve`` (with waitress replaced by a recorder, and once on a real socket), ``qwc``, the settings
every command reads, and the site ``serve`` runs: SOAP at /qbwc and /, health at GET /, GET /support."""

from __future__ import annotations

import io
import logging
import socket
from typing import ClassVar

import pytest
import sqlalchemy as sa
from lxml import etree

from qbbridge.core import cli_server
from qbbridge.core.app import build_app
from qbbridge.core.config import Settings

SERVER_VERSION = (b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
                  b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                  b'<serverVersion xmlns="http://developer.intuit.com/"/></soap:Body></soap:Envelope>')

PLUGIN = ["--plugin", "hours_plugin"]  # tests/e2e/hours_plugin.py, put on sys.path by the conftest


class FakeServer:
    """Stands in for waitress: records how it was made; ``run`` returns as after Ctrl-C."""

    made: ClassVar[list[FakeServer]] = []

    def __init__(self, app, **options) -> None:
        self.app, self.options, self.ran, self.closed = app, options, False, False
        [(self.effective_host, self.effective_port)] = options["sockets"]
        FakeServer.made.append(self)

    def run(self) -> None:
        self.ran = True

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_waitress(monkeypatch):
    FakeServer.made = []
    monkeypatch.setattr(cli_server, "create_server", FakeServer)
    monkeypatch.setattr(cli_server, "bind", lambda host, port: [(host, port)])  # no socket opened
    return FakeServer.made


def call(app, method: str, path: str, query: str = "", body: bytes = b"") -> tuple[str, dict, bytes]:
    replies = {}
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
               "CONTENT_TYPE": "text/xml; charset=utf-8", "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body), "SERVER_NAME": "localhost", "SERVER_PORT": "8080",
               "wsgi.url_scheme": "http"}
    chunks = app(environ, lambda status, headers, exc_info=None: replies.update(status=status,
                                                                                headers=dict(headers)))
    return replies["status"], replies["headers"], b"".join(chunks)


# --- serve ---------------------------------------------------------------------------------------


def test_serve_logs_one_line_with_url_database_and_plugins_and_stops_cleanly(run, fake_waitress, caplog):
    caplog.set_level(logging.INFO, logger="qbbridge.serve")
    result = run("serve", "--port", "8123", *PLUGIN, "--database-url", "sqlite:///served.db")
    assert result.code == 0
    [server] = fake_waitress
    assert server.ran and server.closed and server.options["threads"] == cli_server.SERVER_THREADS
    [started] = [r.getMessage() for r in caplog.records if "serving" in r.getMessage()]
    assert "http://127.0.0.1:8123/qbwc" in started and "database sqlite:///served.db" in started
    assert "plugins: classes, hours_plugin, invoices, parts, timesheets" in started
    status, _, body = call(server.app, "GET", "/")
    assert status == "200 OK" and b"/qbwc" in body


def test_serve_never_logs_the_database_password(run, fake_waitress, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="qbbridge.serve")
    monkeypatch.setattr(cli_server, "build_app", lambda settings, migrate: build_app(
        Settings(), load_entrypoints=False, migrate=migrate))  # no PostgreSQL needed to read the line
    assert run("serve", "--database-url", "postgresql://qb:hunter2@db.internal/qb").code == 0
    assert "postgresql://qb:***@db.internal/qb" in caplog.text and "hunter2" not in caplog.text


def test_serve_reads_the_config_file_and_options_win(run, fake_waitress, tmp_path):
    (tmp_path / "qb.toml").write_text('[qbbridge]\nhost = "0.0.0.0"\nport = 9000\n')
    assert run("serve", "--config", "qb.toml", "--port", "9001").code == 0
    assert fake_waitress[0].options["sockets"] == [("0.0.0.0", 9001)]


@pytest.mark.parametrize(("argv", "message"), [
    (["--port", "99999"], "setting port = \"99999\" (from option --port) is invalid"),
    (["--config", "missing.toml"], "config file 'missing.toml' not found"),
    (["--database-url", "mysql://x/y"], "setting database_url"),
])
def test_serve_refuses_bad_settings_in_one_line(run, fake_waitress, argv, message):
    result = run("serve", *argv)
    assert result.code == 2 and message in result.err and result.err.count("\n") == 1
    assert fake_waitress == []


def test_a_bad_environment_variable_is_named(run, fake_waitress, monkeypatch):
    monkeypatch.setenv("QBBRIDGE_BATCH_SIZE", "lots")
    result = run("serve")
    assert result.code == 2 and "from environment variable QBBRIDGE_BATCH_SIZE" in result.err


@pytest.mark.http
def test_serve_names_a_port_it_cannot_listen_on(run):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.err


# --- the site ------------------------------------------------------------------------------------


@pytest.fixture
def site_app(tmp_path):
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path / 'site.db'}", app_name="Acme <Sync>"),
                    load_entrypoints=False)
    yield app
    app.close()


@pytest.mark.parametrize("path", ["/qbwc", "/qbwc/", "/"])
def test_soap_is_served_at_qbwc_and_at_the_root(site_app, path):
    status, headers, body = call(site_app.site, "POST", path, body=SERVER_VERSION)
    assert status.startswith("200") and headers["Content-Type"].startswith("text/xml")
    assert etree.fromstring(body).find(".//{http://developer.intuit.com/}serverVersionResponse") is not None


@pytest.mark.parametrize("path", ["/qbwc", "/"])
def test_the_wsdl_is_served_at_both_paths(site_app, path):
    status, _, body = call(site_app.site, "GET", path, query="wsdl")
    assert status.startswith("200") and b"QBWebConnectorSvc" in body


def test_get_root_is_a_health_line_and_head_has_no_body(site_app):
    status, _, body = call(site_app.site, "GET", "/")
    assert (status, body) == ("200 OK", b"qbbridge is running. Web Connector endpoint: /qbwc\n")
    status, headers, body = call(site_app.site, "HEAD", "/")
    assert (status, body) == ("200 OK", b"") and int(headers["Content-Length"]) > 0


def test_health_says_so_when_the_database_is_unreachable(site_app, monkeypatch):
    def refuse():
        raise sa.exc.OperationalError("connect", {}, Exception("down"))
    monkeypatch.setattr(site_app.engine, "connect", refuse)
    status, _, body = call(site_app.site, "GET", "/")
    assert status.startswith("503") and b"cannot reach its database" in body


def test_the_support_page_names_the_application_escaped(site_app):
    status, headers, body = call(site_app.site, "GET", "/support")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/html")
    assert b"<h1>Acme &lt;Sync&gt;</h1>" in body


def test_other_paths_are_404_and_point_at_the_endpoint(site_app):
    status, _, body = call(site_app.site, "GET", "/admin")
    assert status.startswith("404") and b"/qbwc" in body
    assert call(site_app.site, "POST", "/other", body=SERVER_VERSION)[0].startswith("404")


# --- qwc -----------------------------------------------------------------------------------------


def qwc_values(text: str) -> dict[str, str]:
    root = etree.fromstring(text.encode("utf-8"))
    return {child.tag: child.text or "" for child in root.iter() if len(child) == 0}


def test_qwc_defaults_to_the_local_endpoint_and_the_settings(run):
    result = run("qwc", "--user", "wc", "--company", "acme", "--port", "8099", "--app-name", "Acme Sync")
    values = qwc_values(result.out)
    assert result.code == 0
    assert values["AppURL"] == "http://localhost:8099/qbwc"
    assert values["AppSupport"] == "http://localhost:8099/support"
    assert (values["AppName"], values["UserName"], values["RunEveryNMinutes"]) == ("Acme Sync", "wc", "10")


def test_qwc_writes_a_file_with_the_given_url_and_schedule(run, tmp_path):
    result = run("qwc", "--url", "https://sync.example.com/qbwc", "--user", "wc", "--company", "acme",
                 "--run-every", "30", "--output", "acme.qwc")
    assert result.code == 0 and result.out == "" and "acme.qwc" in result.err
    values = qwc_values((tmp_path / "acme.qwc").read_text())
    assert (values["AppURL"], values["RunEveryNMinutes"]) == ("https://sync.example.com/qbwc", "30")
    assert values["AppSupport"] == "https://sync.example.com/support"


@pytest.mark.parametrize(("argv", "message"), [
    (["--url", "http://sync.example.com/qbwc"], "must use https"),
    (["--run-every", "0"], "RunEveryNMinutes 0 must be a whole number of minutes"),
    (["--port", "0"], "there is no default URL; give --url"),
    (["--output", "no/such/dir/x.qwc"], "cannot write no/such/dir/x.qwc"),
])
def test_qwc_refuses_what_the_web_connector_would_refuse(run, argv, message):
    result = run("qwc", "--user", "wc", "--company", "acme", *argv)
    assert result.code == 2 and message in result.err and result.err.count("\n") == 1


def test_qwc_needs_a_user(run):
    with pytest.raises(SystemExit) as exited:
        run("qwc", "--company", "acme")
    assert exited.value.code == 2
