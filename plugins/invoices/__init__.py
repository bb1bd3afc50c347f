"""The ``invoices`` plugin: the host's finalized invoices become QuickBooks invoices (T7-T10).

Modules: ``payload`` (submit checks), ``rules`` (T10 at export), ``dimensions`` (the class dimension,
T9), ``preflight`` (customers and classes asked about before export), ``request`` (InvoiceAddRq and the
RefNumber lookup), ``answers`` (QuickBooks' answers), ``settings`` (T8), ``handler`` (the contract).
See docs/plugins/invoices.md.
"""

from __future__ import annotations

from qbbridge.core.hookspecs import hookimpl

from .handler import InvoiceHandler


@hookimpl
def qb_register_object_types(register):  # noqa: ANN001 - pluggy passes it by name
    register(InvoiceHandler())
