"""Template tags for other governance pages (the body page) to show meeting facts without N+1 queries."""

from django import template

from governance.services.meetings import overdue_meeting_ids

register = template.Library()


@register.simple_tag
def overdue_minutes(meetings):
    """`{% overdue_minutes meetings as overdue_ids %}` … `{% if meeting.pk in overdue_ids %}纪要逾期未公布{% endif %}`
    — the meetings whose minutes are late (A-12, C-07), in one query."""
    return overdue_meeting_ids(list(meetings))


@register.inclusion_tag("governance/meetings/_overdue_badge.html")
def minutes_overdue_badge(meeting, overdue_ids):
    return {"overdue": meeting.pk in overdue_ids}


@register.inclusion_tag("governance/meetings/_calendar_link.html")
def body_calendar_link(body):
    """Link to the `.ics` feed of a body's upcoming meetings."""
    return {"body": body}


@register.inclusion_tag("governance/meetings/_schedule_link.html", takes_context=True)
def schedule_meeting_link(context, body):
    """A "schedule a meeting" button for those who run this body's meetings; nothing for others."""
    from governance.permissions import can_manage_body_meetings

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"body": body, "show": can_manage_body_meetings(user, body)}
