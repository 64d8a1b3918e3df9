"""Fees, ledgers, property companies, handover and renovation projects arrive with their issues."""
