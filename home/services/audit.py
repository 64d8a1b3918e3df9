from django.db.models import Model

from home.models import AuditEntry


def audit_record(*, actor, community, action: str, target: Model, before=None, after=None, note: str = ""):
    """Append one entry to the audit log. Call it inside the same transaction as the change it records."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        community=community,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        before=before or {},
        after=after or {},
        note=note[:500],
    )
