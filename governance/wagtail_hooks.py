"""Admin wiring for notices: each community's approval workflow, and no publishing a notice alone."""

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from governance.models import NoticePage, PolicyOfficial, PolicyTopic
from governance.services.notices import notice_workflow_ensure
from home.models import CommunityPage
from home.permissions import is_bureau_staff

PUBLISH_ACTION = "action-publish"
SUBMIT_ACTION = "action-submit"


@hooks.register("after_create_page")
def create_community_notice_workflow(request, page):
    """A new community gets its notice approval workflow (another committee member approves)."""
    if isinstance(page.specific, CommunityPage):
        notice_workflow_ensure(page.specific)


@hooks.register("after_copy_page")
def create_copied_community_notice_workflow(request, page, new_page):
    if isinstance(new_page.specific, CommunityPage):
        notice_workflow_ensure(new_page.specific)


def _may_publish_alone(user) -> bool:
    """Superusers, and housing-bureau staff posting to the communities they supervise."""
    return user.is_superuser or is_bureau_staff(user)


def _publishes_alone(request) -> bool:
    return request.method == "POST" and PUBLISH_ACTION in request.POST and not _may_publish_alone(request.user)


def _submit_instead(request) -> None:
    """Wagtail offers "Publish" to anyone with publish permission even under a workflow: a notice goes to the
    committee's approval instead, so no member publishes alone."""
    data = request.POST.copy()
    data.pop(PUBLISH_ACTION)
    data[SUBMIT_ACTION] = "1"
    request.POST = data
    messages.info(request, _("Notices are published once another committee member approves: submitted for approval."))


@hooks.register("before_create_page")
def notice_create_goes_through_approval(request, parent_page, page_class):
    if issubclass(page_class, NoticePage) and _publishes_alone(request):
        _submit_instead(request)


@hooks.register("before_edit_page")
def notice_edit_goes_through_approval(request, page):
    if isinstance(page.specific, NoticePage) and _publishes_alone(request):
        _submit_instead(request)


def _is_notice_editor(request, context) -> bool:
    page = context.get("page")
    if page is not None:
        return isinstance(page.specific if hasattr(page, "specific") else page, NoticePage)
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    return (kwargs.get("content_type_app_name"), kwargs.get("content_type_model_name")) == ("governance", "noticepage")


@hooks.register("construct_page_action_menu")
def hide_publish_on_notices(menu_items, request, context):
    if not _may_publish_alone(request.user) and _is_notice_editor(request, context):
        menu_items[:] = [item for item in menu_items if item.name != PUBLISH_ACTION]


# --- policy guidance and Q&A: topics and the officials who answer, edited in the admin ----------------------


class PolicyTopicViewSet(SnippetViewSet):
    model = PolicyTopic
    icon = "tag"
    menu_label = _lazy("Policy topics")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class PolicyOfficialViewSet(SnippetViewSet):
    model = PolicyOfficial
    icon = "user"
    menu_label = _lazy("Policy officials")
    list_display = ["user", "organisation", "position", "jurisdiction", "active"]
    list_filter = ["jurisdiction", "active"]
    search_fields = ["organisation", "position"]


class PolicyGroup(SnippetViewSetGroup):
    """Who answers policy questions where, and the topics answers are filed under."""

    items = (PolicyTopicViewSet, PolicyOfficialViewSet)
    menu_icon = "help"
    menu_label = _lazy("Policy Q&A")
    menu_name = "policy"


register_snippet(PolicyGroup)
