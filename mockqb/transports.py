"""How the Web Connector simulator reaches a QBWC server: in-process WSGI or real HTTP.

Rule: a transport moves bytes and judges only the HTTP layer, the way .NET's SOAP client does. It returns
the reply body for HTTP 200, and for HTTP 500 when the body is XML (a SOAP Fault, which ``soap`` turns into
``ServerMisbehaved``). Everything else — connection refused, timeout, a redirect, another status, a
500 whose body is not XML, a reply that is not ``text/xml``, a WSGI app that raises — becomes
``TransportError``. A transport error while an answer is in flight is exactly how a lost answer looks.
"""

from __future__ import annotations

import http.client
import io
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from .errors import MockQbError
from .soap import CONTENT_TYPE

#: What the Web Connector's .NET SOAP client sends as User-Agent.
USER_AGENT = "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class TransportError(MockQbError):
    """The call did not produce a usable HTTP reply; ``str()`` names the operation and the cause.

    ``detail`` carries extra text for debugging (a WSGI app's traceback, the start of an HTML body).
    """

    def __init__(self, op: str, reason: str, *, detail: str = "") -> None:
        super().__init__(f"{op} failed: {reason}")
        self.op = op
        self.reason = reason
        self.detail = detail


class Transport(Protocol):
    """Carries one SOAP call: ``body`` is the request envelope, the return value the reply envelope."""

    def call(self, op: str, body: bytes, soap_action: str) -> bytes:
        """Send ``body`` with header ``SOAPAction: soap_action``; raise ``TransportError`` on failure."""


def check_reply(op: str, status: int, content_type: str, body: bytes) -> bytes:
    """Judge an HTTP reply as the Web Connector's SOAP client would; return the body or raise."""
    is_xml = "xml" in content_type.lower()
    if status == 200 and is_xml:
        return body
    if status == 500 and is_xml:
        return body  # a SOAP Fault travels with HTTP 500
    snippet = body[:200].decode("utf-8", "replace")
    if status == 200:
        raise TransportError(op, f"Client found response content type of {content_type!r}, but expected "
                                 "'text/xml'", detail=snippet)
    raise TransportError(op, f"the server answered HTTP {status} ({http.client.responses.get(status, '?')})"
                             f" with {'a ' + content_type if content_type else 'an untyped'} body", detail=snippet)


class WsgiTransport:
    """Calls a WSGI app in-process with a real environ and the real envelope bytes; no socket.

    ``path`` is where the app is mounted (PATH_INFO). An exception escaping the app is what a WSGI
    server would turn into HTTP 500 with a text body, so it becomes ``TransportError`` (traceback in
    ``detail``, exception chained).
    """

    def __init__(self, app: WsgiApp, *, path: str = "/", host: str = "localhost", port: int = 80) -> None:
        self.app = app
        self.path = path
        self.host = host
        self.port = port
        #: Whatever the app wrote to ``wsgi.errors``.
        self.errors = io.StringIO()

    def environ(self, body: bytes, soap_action: str) -> dict[str, Any]:
        """The environ a WSGI server would build for the Web Connector's POST."""
        return {
            "REQUEST_METHOD": "POST", "SCRIPT_NAME": "", "PATH_INFO": self.path, "QUERY_STRING": "",
            "CONTENT_TYPE": CONTENT_TYPE, "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": self.host, "SERVER_PORT": str(self.port), "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": f"{self.host}:{self.port}",
            "HTTP_SOAPACTION": soap_action, "HTTP_USER_AGENT": USER_AGENT,
            "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": self.errors, "wsgi.multithread": False, "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }

    def call(self, op: str, body: bytes, soap_action: str) -> bytes:
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [(status, headers)]
            return lambda data: None  # the legacy write() callable; unused by well-behaved apps

        try:
            chunks = self.app(self.environ(body, soap_action), start_response)
            try:
                reply = b"".join(chunks)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
        except Exception as exc:  # an in-process server crash is what a WSGI server answers with HTTP 500
            raise TransportError(op, f"the server crashed: {type(exc).__name__}: {exc}",
                                 detail=traceback.format_exc()) from exc
        if not started:
            raise TransportError(op, "the WSGI app returned without calling start_response")
        status, headers = started[0]
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        return check_reply(op, int(status.split()[0]), content_type, reply)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """.NET's SOAP client does not follow redirects; a 3xx surfaces as an error."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpTransport:
    """POSTs each call to ``url`` with urllib; only ``http``/``https`` URLs are accepted.

    Proxies from the environment are ignored (a direct connection, so ``127.0.0.1`` tests are not
    routed through a proxy); redirects are not followed; ``timeout`` is seconds per call.
    """

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"HttpTransport needs an http:// or https:// URL with a host, not {url!r}")
        self.url = url
        self.timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())

    def call(self, op: str, body: bytes, soap_action: str) -> bytes:
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": CONTENT_TYPE, "SOAPAction": soap_action, "User-Agent": USER_AGENT,
        })
        try:
            with self._opener.open(request, timeout=self.timeout) as reply:  # scheme checked in __init__
                return check_reply(op, reply.status, reply.headers.get("Content-Type", ""), reply.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return check_reply(op, exc.code, exc.headers.get("Content-Type", ""), exc.read())
        except TimeoutError as exc:
            raise TransportError(op, f"no answer from {self.url} within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TransportError(op, f"no answer from {self.url} within {self.timeout:g} s") from exc
            raise TransportError(op, f"cannot reach {self.url}: {exc.reason}") from exc
        except (http.client.HTTPException, OSError) as exc:
            raise TransportError(op, f"the connection to {self.url} failed: {type(exc).__name__}: {exc}") \
                from exc
