"""Passwords, login lockout, tickets and message-set ids for the Web Connector's logins.

Rule: pure functions over the standard library (hashlib.scrypt, hmac, secrets); no I/O, no clock — the
caller passes ``now``. Secrets never leave in clear: passwords are stored as scrypt hashes, tickets as
SHA-256 digests. A failed check returns False and costs the same time whether or not the user exists.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

# scrypt cost 2**14 x 8 x 1: 16 MiB and tens of ms per check. OWASP's cheat sheet now asks for 2**17;
# raising SCRYPT_N is safe, since needs_rehash() flags older hashes for rehashing at the next good login.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024  # above OpenSSL's 32 MiB default so larger stored costs still verify
_SCHEME = "scrypt"

# The hash of a random password nobody kept; verifying against it burns the time a real check takes.
DUMMY_HASH = (
    "scrypt$16384$8$1$VA8x986VcIAkLFZhRPmHkQ==$"
    "KN3nb29AkIa7C2bIPUuYdYvE2ssu63HCk/OMFsccl1c="
)

MESSAGE_SET_ID_PREFIX = "qbb-"
MESSAGE_SET_ID_MAX = 23  # qbXML's limit for newMessageSetID
_TICKET_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# --- passwords -------------------------------------------------------------------------------------


def _password_bytes(password: str) -> bytes:
    """NFC-normalised UTF-8, so the same password typed on two systems hashes the same."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _scrypt(password: bytes, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=dklen)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """Hash ``password`` with scrypt and a fresh 16-byte salt.

    Returns ``"scrypt$16384$8$1$<salt b64>$<hash b64>"``. Raises ValueError for an empty password or one
    that is not valid text (a lone surrogate), since neither could ever be typed into the Web Connector.
    """
    if not isinstance(password, str) or password == "":
        raise ValueError("a Web Connector password must not be empty; choose one and type it into the "
                         "Web Connector's Password column")
    try:
        secret = _password_bytes(password)
    except UnicodeEncodeError as exc:
        raise ValueError("the password contains a character that is not valid text") from exc
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"{_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


@dataclass(frozen=True, slots=True)
class _Encoded:
    n: int
    r: int
    p: int
    salt: bytes
    key: bytes


def _decode(encoded: str) -> _Encoded | None:
    """The parts of a stored hash, or None when it is not one we could have written."""
    parts = encoded.split("$") if isinstance(encoded, str) else []
    if len(parts) != 6 or parts[0] != _SCHEME or not all(x.isdigit() for x in parts[1:4]):
        return None
    n, r, p = (int(x) for x in parts[1:4])
    # Bounds keep a corrupted row from asking for gigabytes of memory or hours of CPU.
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        return None
    try:
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (binascii.Error, ValueError):
        return None
    if not salt or not 16 <= len(key) <= 64 or 128 * r * (n + p + 2) > _MAXMEM:
        return None
    return _Encoded(n, r, p, salt, key)


def _secret_or_empty(password: object) -> bytes:
    """The password's bytes; b"" (which never matches) for non-text or unencodable input."""
    try:
        return _password_bytes(password) if isinstance(password, str) else b""
    except UnicodeEncodeError:
        return b""


def _matches(secret: bytes, stored: _Encoded) -> bool:
    key = _scrypt(secret, stored.salt, stored.n, stored.r, stored.p, len(stored.key))
    return hmac.compare_digest(key, stored.key)


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches the stored ``encoded`` hash; compared in constant time.

    Never raises: a malformed or foreign encoding, an empty password or unencodable text give False.
    """
    stored = _decode(encoded)
    if stored is None:
        burn_time(password)  # a broken row costs what a real check costs
        return False
    secret = _secret_or_empty(password)
    return _matches(secret, stored) and secret != b""


def burn_time(password: str) -> None:
    """Spend the time one password check takes; call it when the user name is unknown."""
    stored = _decode(DUMMY_HASH)
    assert stored is not None  # a constant of this module; test_security checks it
    _matches(_secret_or_empty(password), stored)


def needs_rehash(encoded: str) -> bool:
    """True when ``encoded`` was not made with today's parameters (rehash it at the next good login)."""
    stored = _decode(encoded)
    return stored is None or (stored.n, stored.r, stored.p, len(stored.salt), len(stored.key)) != (
        SCRYPT_N, SCRYPT_R, SCRYPT_P, SALT_BYTES, KEY_BYTES)


# --- lockout ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How failed logins lock a Web Connector user.

    After ``max_failures`` consecutive failures the user is locked for ``lock_seconds``; each further
    failure doubles the lock, up to ``max_lock_seconds``. A good login resets the count (the caller's job).
    """

    max_failures: int = 5
    lock_seconds: int = 60
    max_lock_seconds: int = 3600

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.lock_seconds < 1:
            raise ValueError("max_failures and lock_seconds must be at least 1")
        if self.max_lock_seconds < self.lock_seconds:
            raise ValueError(f"max_lock_seconds ({self.max_lock_seconds}) must be at least "
                             f"lock_seconds ({self.lock_seconds})")


def lock_duration(policy: LoginPolicy, failures: int) -> timedelta | None:
    """How long ``failures`` consecutive failures lock the user, or None below the threshold."""
    extra = failures - policy.max_failures
    if extra < 0:
        return None
    # Past ~62 doublings any sane cap is reached; capping the exponent keeps the integer small.
    seconds = policy.lock_seconds * 2 ** min(extra, 62)
    return timedelta(seconds=min(seconds, policy.max_lock_seconds))


def locked_until_after_failure(policy: LoginPolicy, failures: int, now: datetime) -> datetime | None:
    """When the lock ends after the ``failures``-th consecutive failure at ``now``; None if not locked.

    ``failures`` counts the failure just recorded (the first failure is 1).
    """
    duration = lock_duration(policy, failures)
    return None if duration is None else now + duration


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    """True while ``now`` is before ``locked_until``; the lock ends at exactly ``locked_until``."""
    return locked_until is not None and now < locked_until


# --- tickets and message-set ids -------------------------------------------------------------------


def new_ticket() -> str:
    """A fresh session ticket: 128 random bits as a GUID-like ``8-4-4-4-12`` lowercase hex string."""
    h = secrets.token_hex(16)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def is_ticket_shaped(text: str) -> bool:
    """True when ``text`` has the form ``new_ticket`` produces (a cheap check before any lookup)."""
    return isinstance(text, str) and _TICKET_RE.fullmatch(text) is not None


def ticket_digest(ticket: str) -> str:
    """SHA-256 hex of ``ticket``: the only form in which a ticket is stored."""
    return hashlib.sha256(ticket.encode("utf-8", "surrogatepass")).hexdigest()


def new_message_set_id() -> str:
    """A random ``newMessageSetID``: ``"qbb-"`` and 19 hex digits (76 bits), 23 characters in all."""
    digits = MESSAGE_SET_ID_MAX - len(MESSAGE_SET_ID_PREFIX)
    return MESSAGE_SET_ID_PREFIX + secrets.token_hex((digits + 1) // 2)[:digits]
