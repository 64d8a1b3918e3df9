"""Template filters for account pages."""

from django import template

from home.domain.identity import normalise_mobile

register = template.Library()


@register.filter
def phone_display(value: str) -> str:
    """'+8613812345678' → '138 1234 5678', the way people read a mainland number aloud; else unchanged."""
    normalised = normalise_mobile(value or "")
    if normalised is None:
        return value or ""
    digits = normalised[3:]
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
