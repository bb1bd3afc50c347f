"""qbbridge.core.engine: the sans-IO QBWC session engine (states, calls, plan, batching)."""
