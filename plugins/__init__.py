"""Built-in qbbridge plugins, one package per QuickBooks object type (``timesheets``, ``invoices``,
``parts``, ``classes``). They register through the same mechanism as third-party plugins."""
