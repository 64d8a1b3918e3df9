"""Committee side of the 议事厅: reports queue, hide and restore, pin, close, public, and turning a topic into
a meeting's agenda item or a draft owners' decision."""


def topic_moderation_context(request, topic) -> dict:
    """Extra context the topic page needs for its committee controls (empty for everyone else)."""
    return {}


urlpatterns = []
