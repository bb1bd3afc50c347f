"""InvoiceHandler: the host's finalized invoices -> QuickBooks invoices (T7, T8, T9, T10).

Rule: the handler only decides; it never writes. Per due invoice, ``export`` yields exactly one of, in
this order of precedence: ``Rejected`` (T10 broken, a part never submitted, a class spelled unlike
QuickBooks'), ``Waiting`` (the preflight found a customer or class missing or inactive, or class
tracking off), or the ``InvoiceAddRq``, which depends on the invoice's parts so that an invoice whose
part failed or waits is held, never sent with a broken reference. Drafts are never due (the core keeps
them back until ``host.finalize``), so only finalized invoices reach ``read`` and ``export``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from qbbridge.core.contract import (
    BaseHandler,
    ExportContext,
    ExportItem,
    Kind,
    ObjectType,
    Outcome,
    Purpose,
    QbRequest,
    QbResult,
    ReadContext,
    Record,
    RecordRef,
    Rejected,
    SentRequest,
    Waiting,
)

from .answers import add_outcomes, lookup_outcomes
from .payload import clean_invoice
from .preflight import class_spelling_problem, facts_from, missing_names, preflight_requests
from .request import invoice_add, refnumber_lookup
from .rules import t10_problem
from .settings import COMPANY_SETTINGS, INCLUDE_PART_DESCRIPTION, INCLUDE_PART_NAME, setting


class InvoiceHandler(BaseHandler):
    object_type = ObjectType("invoices", "Invoice", Kind.TXN, depends_on=("parts",), label="invoice",
                             drafts=True)
    company_settings = COMPANY_SETTINGS

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return clean_invoice(local_key, payload)

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        """Preflight of the customers and classes the due invoices use; nothing when none is due."""
        return preflight_requests(record.payload for record in ctx.due() if not record.qb_id)

    def export(self, ctx: ExportContext) -> Iterator[ExportItem]:
        with_name = setting(ctx.company.settings, INCLUDE_PART_NAME)
        with_description = setting(ctx.company.settings, INCLUDE_PART_DESCRIPTION)
        seen: dict[str, Record | None] = {}  # parts read once per call: invoices share parts
        for record in ctx.due():
            parts = {key: _part(ctx, seen, key) for key in _part_keys(record.payload)}
            problem = _rejection(record, parts, ctx.facts)
            if problem is not None:
                yield Rejected(record.local_key, problem)
                continue
            needs = missing_names(record.payload, ctx.facts, ctx.company.class_tracking)
            if needs:
                yield Waiting(record.local_key, needs)
                continue
            known = {key: part for key, part in parts.items() if part is not None}
            yield invoice_add(record, known, with_name=with_name, with_description=with_description)

    def lookup(self, record: Record) -> QbRequest | None:
        return refnumber_lookup(record)

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        if request.purpose is Purpose.READ:
            facts = facts_from(request, result)
            return [facts] if facts is not None else []
        if request.purpose is Purpose.LOOKUP:
            return lookup_outcomes(request, result)
        return add_outcomes(request, result)


def _part(ctx: ExportContext, seen: dict[str, Record | None], key: str) -> Record | None:
    if key not in seen:
        seen[key] = ctx.record(RecordRef("parts", key))
    return seen[key]


def _part_keys(payload: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(line["part"] for line in payload.get("lines", [])))


def _rejection(record: Record, parts: Mapping[str, Record | None], facts: Mapping[str, Any]) -> str | None:
    key, payload = record.local_key, record.payload
    problem = t10_problem(key, payload)
    if problem is not None:
        return problem
    for position, line in enumerate(payload["lines"], 1):
        if parts.get(line["part"]) is None:
            return (f"Invoice {key}: line {position} uses part '{line['part']}', which was never submitted. "
                    "Submit the part, then submit the invoice again.")
    return class_spelling_problem(key, payload, facts)
