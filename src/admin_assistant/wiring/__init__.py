"""Wiring: builds the application from its settings and flags, and serves or runs it."""
