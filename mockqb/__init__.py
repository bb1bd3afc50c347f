"""mockqb: a QuickBooks Desktop simulator and a QuickBooks Web Connector simulator.

The QuickBooks simulator (``processor.QuickBooks``) answers qbXML over a company file the way QuickBooks
does, errors included; the Web Connector simulator (``webconnector.WebConnector``) drives any QBWC server
through the real SOAP call sequence. mockqb never imports ``qbbridge.core``: it is an independent second
implementation of the protocol, so a bug shared with the server cannot hide.
"""
