"""Links: which QuickBooks object (ListID/TxnID and last EditSequence) each local record is.

Rule: ``upsert_link`` is the only writer of links. ``preload_links`` loads a whole message set's links in
one query and remembers them for the unit of work, so linking a message set issues no query per record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from .models import Link, SyncRecord

_LINKS = "qbbridge.links"  # session.info key: (company_id, object_type, local_key) -> Link | None


def preload_links(session: so.Session, rows: Iterable[SyncRecord]) -> None:
    """Load the links of ``rows`` in one query per company and object type, and remember them (and
    their absence) for this session, so ``upsert_link`` on a whole message set issues no query per
    record. The session is one unit of work (one SOAP call), and ``upsert_link`` is the only writer of
    links, so what is remembered stays true until the session ends."""
    known: dict[tuple[int, str, str], Link | None] = session.info.setdefault(_LINKS, {})
    by_type: dict[tuple[int, str], list[str]] = {}
    for row in rows:
        by_type.setdefault((row.company_id, row.object_type), []).append(row.local_key)
    for (company_id, object_type), keys in by_type.items():
        known.update({(company_id, object_type, key): None for key in keys})
        known.update({(company_id, object_type, link.local_key): link for link in session.scalars(
            sa.select(Link).where(Link.company_id == company_id, Link.object_type == object_type,
                                  Link.local_key.in_(keys)))})


def upsert_link(session: so.Session, company_id: int, object_type: str, local_key: str, qb_id: str,
                edit_sequence: str | None, now: datetime) -> None:
    known: dict[tuple[int, str, str], Link | None] = session.info.setdefault(_LINKS, {})
    key = (company_id, object_type, local_key)
    if key in known:
        link = known[key]
    else:
        link = session.scalar(sa.select(Link).where(
            Link.company_id == company_id, Link.object_type == object_type, Link.local_key == local_key))
    if link is None:
        known[key] = link = Link(company_id=company_id, object_type=object_type, local_key=local_key,
                                 qb_id=qb_id, edit_sequence=edit_sequence, linked_at=now)
        session.add(link)
    else:
        link.qb_id, link.edit_sequence, link.linked_at = qb_id, edit_sequence, now
