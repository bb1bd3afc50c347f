"""qbbridge.core.qbxml: building and safely parsing qbXML (sans-IO).

``build`` makes request message sets and values, ``parse`` parses untrusted XML safely and reads
response message sets, ``hcp`` reads the Web Connector's strHCPResponse and picks the qbXML version,
``status`` holds QuickBooks' status codes as data. None of them imports SQLAlchemy, spyne or mockqb.
"""
