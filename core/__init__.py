"""qbbridge.core: the QBWC session engine, qbXML, store, SOAP service and command line.

This package's public API is re-exported here as it lands; it stays free of I/O, SQLAlchemy and spyne
imports so that ``import qbbridge.core`` is cheap for plugins.
"""

__all__: list[str] = []
