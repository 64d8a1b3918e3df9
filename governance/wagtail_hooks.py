from wagtail import hooks

from governance.services.notices import notice_workflow_ensure
from home.models import CommunityPage


@hooks.register("after_create_page")
def create_community_notice_workflow(request, page):
    """A new community gets its notice approval workflow (another committee member approves)."""
    if isinstance(page.specific, CommunityPage):
        notice_workflow_ensure(page.specific)


@hooks.register("after_copy_page")
def create_copied_community_notice_workflow(request, page, new_page):
    if isinstance(new_page.specific, CommunityPage):
        notice_workflow_ensure(new_page.specific)
