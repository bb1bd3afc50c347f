"""The ``invoices`` plugin: QuickBooks Invoice. Not implemented yet: the package reserves the name and its place
in the layout; its read/export/acknowledge hooks arrive with the plugin's own issue."""
