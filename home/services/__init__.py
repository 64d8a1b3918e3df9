"""The only code in home/ that writes. One module per concern; each function checks permission,
applies the domain rule, saves inside ``transaction.atomic()`` and records an audit entry."""
