"""qbbridge.core.qbxml: building and safely parsing qbXML (sans-IO)."""
