"""Pluggable SMS: console in development, captured in tests, a real gateway in production."""
