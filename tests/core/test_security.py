"""Passwords, lockout, tickets and message-set ids (qbbridge.core.security)."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbbridge.core import security
from qbbridge.core.security import (
    DUMMY_HASH,
    LoginPolicy,
    burn_time,
    hash_password,
    is_locked,
    is_ticket_shaped,
    lock_duration,
    locked_until_after_failure,
    needs_rehash,
    new_message_set_id,
    new_ticket,
    ticket_digest,
    verify_password,
)

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_password("correct horse")


# --- passwords -------------------------------------------------------------------------------------


def test_hash_has_the_documented_encoding(stored):
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(key)) == 32
    expected = hashlib.scrypt(b"correct horse", salt=base64.b64decode(salt), n=16384, r=8, p=1, dklen=32)
    assert base64.b64decode(key) == expected


def test_each_hash_has_its_own_salt():
    assert hash_password("same") != hash_password("same")


def test_the_right_password_verifies_and_a_wrong_one_does_not(stored):
    assert verify_password("correct horse", stored) is True
    assert verify_password("correct horsE", stored) is False
    assert verify_password("", stored) is False


def test_composed_and_decomposed_accents_are_the_same_password():
    encoded = hash_password("caf\u00e9")
    assert verify_password("cafe\u0301", encoded) is True


@pytest.mark.parametrize("password", ["", None, 42])
def test_empty_or_non_text_password_is_refused(password):
    with pytest.raises(ValueError, match="must not be empty"):
        hash_password(password)


def test_lone_surrogate_password_is_refused_when_hashing_and_false_when_verifying(stored):
    with pytest.raises(ValueError, match="not valid text"):
        hash_password("ab\ud800")
    assert verify_password("ab\ud800", stored) is False


@pytest.mark.parametrize("encoded", [
    "", "plain-text-password", None, "scrypt$16384$8$1$", "bcrypt$16384$8$1$AAAA$AAAA",
    "scrypt$x$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "scrypt$16384$8$1$not base64!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "scrypt$16383$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",  # not 2**k
    # costs too much to try
    "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",  # key too short
])
def test_malformed_encoding_verifies_false_without_raising(encoded):
    assert verify_password("anything", encoded) is False


def test_a_tampered_hash_does_not_verify(stored):
    head, key = stored.rsplit("$", 1)
    flipped = bytearray(base64.b64decode(key))
    flipped[0] ^= 1
    assert verify_password("correct horse", f"{head}${base64.b64encode(bytes(flipped)).decode()}") is False


def _record_scrypt_calls(monkeypatch) -> list[tuple[int, int, int, int]]:
    calls: list[tuple[int, int, int, int]] = []
    real = security._scrypt

    def spy(password, salt, n, r, p, dklen):
        calls.append((n, r, p, dklen))
        return real(password, salt, n, r, p, dklen)

    monkeypatch.setattr(security, "_scrypt", spy)
    return calls


def test_unknown_user_costs_one_scrypt_with_the_same_parameters_as_a_known_one(stored, monkeypatch):
    calls = _record_scrypt_calls(monkeypatch)
    verify_password("guess", stored)
    burn_time("guess")
    verify_password("guess", "corrupted row")
    assert len(calls) == 3 and len(set(calls)) == 1


def test_dummy_hash_uses_todays_parameters_and_matches_no_likely_password():
    assert needs_rehash(DUMMY_HASH) is False
    assert verify_password("", DUMMY_HASH) is False
    assert verify_password("password", DUMMY_HASH) is False


def test_needs_rehash_spots_other_parameters(stored):
    assert needs_rehash(stored) is False
    weaker = stored.replace("$16384$", "$1024$", 1)
    assert needs_rehash(weaker) is True
    assert needs_rehash("garbage") is True


# --- lockout ---------------------------------------------------------------------------------------


def test_no_lock_below_the_threshold():
    policy = LoginPolicy(max_failures=3)
    assert locked_until_after_failure(policy, 1, NOW) is None
    assert locked_until_after_failure(policy, 2, NOW) is None


def test_lock_starts_at_the_threshold_and_doubles_up_to_the_cap():
    policy = LoginPolicy(max_failures=5, lock_seconds=60, max_lock_seconds=300)
    ends = [locked_until_after_failure(policy, n, NOW) for n in (5, 6, 7, 8, 9)]
    assert [(end - NOW).total_seconds() for end in ends] == [60, 120, 240, 300, 300]


def test_a_huge_failure_count_stays_capped():
    policy = LoginPolicy()
    assert locked_until_after_failure(policy, 10**9, NOW) == NOW + timedelta(seconds=3600)


@given(st.integers(1, 20), st.integers(1, 600), st.integers(0, 5000), st.integers(0, 200))
def test_lock_never_shrinks_as_failures_grow_and_never_exceeds_the_cap(max_failures, lock, extra, failures):
    policy = LoginPolicy(max_failures=max_failures, lock_seconds=lock, max_lock_seconds=lock + extra)
    now_lock = lock_duration(policy, failures) or timedelta(0)
    next_lock = lock_duration(policy, failures + 1) or timedelta(0)
    assert now_lock <= next_lock <= timedelta(seconds=policy.max_lock_seconds)


def test_is_locked_until_the_exact_end():
    end = NOW + timedelta(seconds=60)
    assert is_locked(end, NOW) is True
    assert is_locked(end, end - timedelta(microseconds=1)) is True
    assert is_locked(end, end) is False
    assert is_locked(None, NOW) is False


@pytest.mark.parametrize("kwargs", [{"max_failures": 0}, {"lock_seconds": 0},
                                    {"lock_seconds": 120, "max_lock_seconds": 60}])
def test_impossible_policies_are_refused(kwargs):
    with pytest.raises(ValueError):
        LoginPolicy(**kwargs)


# --- tickets and message-set ids -------------------------------------------------------------------


def test_tickets_are_guid_shaped_128_bit_and_unique():
    tickets = {new_ticket() for _ in range(1000)}
    assert len(tickets) == 1000
    for ticket in list(tickets)[:20]:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ticket)
        assert len(ticket.replace("-", "")) * 4 == 128
        assert is_ticket_shaped(ticket)


@pytest.mark.parametrize("text", ["", "nvu", "{" + "0" * 8 + "-0000-0000-0000-" + "0" * 12 + "}",
                                  "ABCDEF01-0000-0000-0000-000000000000", None])
def test_other_strings_are_not_ticket_shaped(text):
    assert is_ticket_shaped(text) is False


def test_ticket_digest_is_sha256_hex_and_never_the_ticket():
    ticket = new_ticket()
    digest = ticket_digest(ticket)
    assert digest == hashlib.sha256(ticket.encode()).hexdigest()
    assert len(digest) == 64 and ticket not in digest
    assert ticket_digest(new_ticket()) != digest


def test_message_set_ids_fit_qbxml_and_do_not_repeat():
    ids = {new_message_set_id() for _ in range(1000)}
    assert len(ids) == 1000
    for message_set_id in list(ids)[:20]:
        assert len(message_set_id) == 23
        assert re.fullmatch(r"qbb-[0-9a-f]{19}", message_set_id)


def test_security_loads_neither_the_store_nor_the_soap_stack():
    # lxml is loaded by qbbridge.core itself (the public contract carries lxml elements); security.py
    # needs only the standard library, and must not drag SQLAlchemy or spyne into a plugin's process.
    code = ("import sys, qbbridge.core.security; "
            "print([m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'spyne')])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
