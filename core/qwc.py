"""The .qwc file: what a user opens in the Web Connector to add qbbridge as an application.

Rule: one function builds the whole document with lxml from checked values (no string templates with
data), and every value the Web Connector would refuse or misread raises ``ConfigError`` naming the
value and the rule (../shared/docs/PROTOCOL.md §B). OwnerID and FileID are derived, so regenerating the
file for the same application and company gives the same GUIDs and QuickBooks sees the same application.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from lxml import etree

from qbbridge.core.errors import ConfigError

QWC_CONTENT_TYPE = "application/x-qwc"  # what the Ruby qbwc gem serves it as
DEFAULT_DESCRIPTION = "Syncs with QuickBooks Desktop through qbbridge"
DESCRIPTION_MAX = 80  # the guide's recommended maximum (PROTOCOL.md §B)
# The Web Connector's own floor is one minute; above a day the schedule is better left to the user.
RUN_EVERY_MINUTES_MIN = 1
RUN_EVERY_MINUTES_MAX = 1440
QB_TYPES = ("QBFS", "QBPOS")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# Fixed forever: changing it would give every existing installation new GUIDs.
_GUID_NAMESPACE = uuid.UUID("5b0f1c8e-2d4a-5e61-9a7b-3c8d0e6f4a21")
_GUID_RE = re.compile(r"\{?([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})\}?")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def owner_id_for(app_name: str) -> str:
    """The braced OwnerID GUID of an application: one per application name, the same every time."""
    return "{" + str(uuid.uuid5(_GUID_NAMESPACE, "owner\x00" + app_name)).upper() + "}"


def file_id_for(app_name: str, company: str) -> str:
    """The braced FileID GUID stamped into one company file for one application, the same every time."""
    return "{" + str(uuid.uuid5(_GUID_NAMESPACE, f"file\x00{app_name}\x00{company}")).upper() + "}"


def _text(name: str, value: str, *, required: bool = True) -> str:
    """``value`` if it can be one line of XML text; ConfigError naming ``name`` otherwise."""
    if not isinstance(value, str):
        raise ConfigError(f".qwc {name} must be text, not {value!r}")
    if required and not value.strip():
        raise ConfigError(f".qwc {name} must not be empty")
    if _CONTROL_RE.search(value):
        raise ConfigError(f".qwc {name} {value!r} contains a control character or line break; "
                          "use one line of plain text")
    return value


def _check_url(name: str, url: str) -> str:
    """The URL's host, after checking it is http(s) and https unless the host is this machine."""
    _text(name, url)
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        _ = parts.port  # reading the port raises ValueError for a bad one
    except ValueError as exc:
        raise ConfigError(f".qwc {name} {url!r} is not a valid URL: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ConfigError(f".qwc {name} {url!r} must be an absolute http(s) URL such as "
                          "https://sync.example.com/qbwc")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f".qwc {name} {url!r} must not carry a user name or password; the "
                          "Web Connector user types the password into its Password column")
    if parts.scheme.lower() != "https" and host not in LOCAL_HOSTS:
        raise ConfigError(f".qwc {name} {url!r} must use https: the Web Connector accepts http only for "
                          f"localhost, 127.0.0.1 or ::1 (host here: {host!r})")
    return host


def _same_domain(a: str, b: str) -> bool:
    """Hosts equal, one a subdomain of the other, or siblings under one parent (qb. and www.example.com)."""
    if a == b or a.endswith("." + b) or b.endswith("." + a):
        return True
    pa, pb = a.partition(".")[2], b.partition(".")[2]
    return pa == pb and "." in pa


def _support_url(app_url: str, app_host: str, support_url: str | None) -> str:
    """The AppSupport URL: given (same domain as AppURL, same scheme rule) or AppURL's origin + /support."""
    if support_url is None:
        parts = urlsplit(app_url)
        return f"{parts.scheme}://{parts.netloc}/support"
    support_host = _check_url("AppSupport", support_url)
    if not _same_domain(app_host, support_host):
        raise ConfigError(f".qwc AppSupport {support_url!r} must be on the same domain as AppURL "
                          f"{app_url!r}: the Web Connector refuses a support page elsewhere")
    return support_url


def _guid(name: str, value: str | None, derived: str) -> str:
    """A given GUID normalised to one pair of braces (case kept), or the derived one."""
    if value is None:
        return derived
    match = _GUID_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ConfigError(f".qwc {name} {value!r} must be a GUID like "
                          "{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}")
    return "{" + match.group(1) + "}"


def _check_choices(description: str, run_every_minutes: int, qb_type: str) -> None:
    if len(description) > DESCRIPTION_MAX:
        raise ConfigError(f".qwc AppDescription has {len(description)} characters; the Web Connector "
                          f"shows at most about {DESCRIPTION_MAX}: shorten it")
    minutes_ok = isinstance(run_every_minutes, int) and not isinstance(run_every_minutes, bool)
    if not minutes_ok or not RUN_EVERY_MINUTES_MIN <= run_every_minutes <= RUN_EVERY_MINUTES_MAX:
        raise ConfigError(f".qwc RunEveryNMinutes {run_every_minutes!r} must be a whole number of minutes "
                          f"from {RUN_EVERY_MINUTES_MIN} to {RUN_EVERY_MINUTES_MAX}")
    if qb_type not in QB_TYPES:
        raise ConfigError(f".qwc QBType {qb_type!r} must be one of {', '.join(QB_TYPES)}")


def build_qwc(*, app_name: str, app_url: str, username: str, company: str,
              support_url: str | None = None, description: str = DEFAULT_DESCRIPTION,
              run_every_minutes: int = 10, qb_type: str = "QBFS", read_only: bool = False,
              owner_id: str | None = None, file_id: str | None = None) -> str:
    """The text of a .qwc file (with an XML declaration) for one Web Connector user of one company.

    ``company`` only seeds the FileID. ``support_url`` defaults to AppURL's origin + ``/support``.
    Raises ConfigError naming the first value the Web Connector would refuse.
    """
    for name, value in (("AppName", app_name), ("UserName", username), ("company", company)):
        _text(name, value)
    _text("AppDescription", description, required=False)
    _check_choices(description, run_every_minutes, qb_type)
    app_host = _check_url("AppURL", app_url)
    values = [
        ("AppName", app_name),
        ("AppID", ""),
        ("AppURL", app_url),
        ("AppDescription", description),
        ("AppSupport", _support_url(app_url, app_host, support_url)),
        ("UserName", username),
        ("OwnerID", _guid("OwnerID", owner_id, owner_id_for(app_name))),
        ("FileID", _guid("FileID", file_id, file_id_for(app_name, company))),
        ("QBType", qb_type),
        ("IsReadOnly", "true" if read_only else "false"),
    ]
    root = etree.Element("QBWCXML")
    for tag, text in values:
        etree.SubElement(root, tag).text = text
    scheduler = etree.SubElement(root, "Scheduler")
    etree.SubElement(scheduler, "RunEveryNMinutes").text = str(run_every_minutes)
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body
