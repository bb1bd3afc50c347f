"""qbbridge.core.store: SQLAlchemy 2 models, the unit of work and the queries the service layer uses.

Rule: data functions receive a session and never open one; ``unit_of_work`` is the only transaction
boundary (one per SOAP call).
"""
