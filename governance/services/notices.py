"""Notices (通知公告): who may read which notice, the read records, and the committee's approval workflow.

Visibility: a notice is readable when it is live and not expired, and either public or the reader may read the
community's records (V-15), and it is addressed to the whole community or to a building the reader lives in
(verified residency). The community's governing roles and bureau staff see every notice of the community.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Case, Count, Exists, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from governance.domain.notices import Access, NoticeFacts, ReaderFacts, notice_access
from governance.models import BodyPage, CommitteePeerApprovalTask, NoticePage, NoticeRead
from governance.permissions import can_read_community_records, community_of
from home import permissions as home_permissions
from home.models import Building, CommunityRole, Residency

Role = CommunityRole.Role

# Roles that see every notice of their community, whatever its audience.
SEES_ALL_NOTICES = (Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF, Role.PARTY_BRANCH, Role.DELIBERATION_COUNCIL)
# Roles that see how many residents of each building read a notice.
SEES_READ_COUNTS = (Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF)


# --- who lives where --------------------------------------------------------------------------------------


def reader_building_ids(user, community) -> set[int]:
    """Buildings of `community` the user lives in or owns a unit in (current verified residency). One query."""
    if user is None or not user.is_authenticated:
        return set()
    cache = getattr(user, "_notice_buildings_cache", None)
    if cache is None:
        cache = {}
        user._notice_buildings_cache = cache
    if community.pk not in cache:
        cache[community.pk] = set(
            Residency.objects.filter(
                person__user=user, ended_on__isnull=True, unit__entrance__building__community=community
            ).values_list("unit__entrance__building_id", flat=True)
        )
    return cache[community.pk]


def sees_all_notices(user, community) -> bool:
    return home_permissions.has_role(user, community, *SEES_ALL_NOTICES) or home_permissions.is_bureau_staff(user)


def can_see_read_counts(user, community) -> bool:
    return home_permissions.has_role(user, community, *SEES_READ_COUNTS)


# --- visibility -------------------------------------------------------------------------------------------


def notice_facts(notice) -> NoticeFacts:
    for_all = notice.audience == NoticePage.Audience.COMMUNITY
    return NoticeFacts(
        live=notice.live,
        go_live_at=notice.go_live_at,
        expire_at=notice.expire_at,
        is_public=notice.is_public,
        for_whole_community=for_all,
        building_ids=frozenset() if for_all else frozenset(notice.buildings.values_list("pk", flat=True)),
    )


def reader_facts(user, community) -> ReaderFacts:
    authenticated = user is not None and user.is_authenticated
    return ReaderFacts(
        authenticated=authenticated,
        community_member=authenticated and can_read_community_records(user, community),
        sees_all=authenticated and sees_all_notices(user, community),
        home_building_ids=frozenset(reader_building_ids(user, community)),
    )


def notice_access_for(user, notice, community, now=None) -> Access:
    """May `user` open `notice` now: read, gone (unpublished or expired), login, or forbidden."""
    return notice_access(notice_facts(notice), reader_facts(user, community), now or timezone.now())


def current_notices():
    now = timezone.now()
    return (
        NoticePage.objects.live()
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    )


def _addressed_to(user, community) -> Q:
    """The audience rule as a condition of the one notices query (no extra query per page)."""
    addressed = Q(audience=NoticePage.Audience.COMMUNITY)
    if user is None or not user.is_authenticated:
        return addressed
    if user.is_superuser:
        return Q(pk__isnull=False)
    homes = Residency.objects.filter(
        person__user=user, ended_on__isnull=True, unit__entrance__building__community=community
    ).values("unit__entrance__building_id")
    chosen = NoticePage.buildings.through.objects.filter(building_id__in=homes).values("noticepage_id")
    bureau = Group.objects.filter(user=user, name=settings.PORTAL_BUREAU_GROUP)
    return addressed | Q(pk__in=chosen) | Q(Exists(bureau))


def notices_visible_to(user, community, *, members_only=False):
    """The community's current notices the user may read, pinned emergencies first, then newest. Lazy."""
    notices = current_notices().child_of(community)
    if members_only:
        notices = notices.filter(is_public=False)
    if not can_read_community_records(user, community):
        notices = notices.filter(is_public=True)
    if not home_permissions.has_role(user, community, *SEES_ALL_NOTICES):
        notices = notices.filter(_addressed_to(user, community))
    return notices.annotate(
        pinned=Case(
            When(notice_type=NoticePage.Type.EMERGENCY, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-pinned", "-first_published_at", "-pk")


def latest_notices_for(user, community, *, limit=5, members_only=False) -> list:
    """For the community page and the residents' area: one query whatever the number of notices."""
    return list(notices_visible_to(user, community, members_only=members_only)[:limit])


# --- reads ------------------------------------------------------------------------------------------------


def notice_read_record(*, user, notice, community=None) -> NoticeRead | None:
    """The first opening of a notice by a logged-in user; later openings change nothing."""
    if user is None or not user.is_authenticated:
        return None
    community = community or community_of(notice)
    buildings = sorted(reader_building_ids(user, community))
    read, _created = NoticeRead.objects.get_or_create(
        notice=notice, user=user, defaults={"building_id": buildings[0] if buildings else None}
    )
    return read


def notice_read_counts(notice, community) -> dict:
    """Readers per building of the community (every building, zero included) and readers living elsewhere.

    Two queries whatever the number of buildings or readers; no names.
    """
    per_building = dict(
        NoticeRead.objects.filter(notice=notice, building__isnull=False)
        .values_list("building_id")
        .annotate(n=Count("pk"))
        .values_list("building_id", "n")
    )
    others = NoticeRead.objects.filter(notice=notice, building__isnull=True).count()
    rows = [
        {"building": building, "count": per_building.get(building.pk, 0)}
        for building in Building.objects.filter(community=community).order_by("sort_order", "name")
    ]
    return {"rows": rows, "others": others, "total": sum(per_building.values()) + others}


# --- moderation workflow ----------------------------------------------------------------------------------


def workflow_name(community) -> str:
    return _("Notices of %(community)s (#%(pk)s): approval by another committee member") % {
        "community": community.title,
        "pk": community.pk,
    }


@transaction.atomic
def notice_workflow_ensure(community) -> Workflow:
    """The community's moderation workflow: one step, approval by another member of ITS committee. Idempotent.

    Assigned to the community page, so it covers the notices (and other pages) under it.
    """
    assigned = WorkflowPage.objects.filter(page=community).select_related("workflow").first()
    if assigned is not None:
        return assigned.workflow
    name = workflow_name(community)[:255]
    workflow, _created = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    if not workflow.workflow_tasks.exists():
        task, _created = CommitteePeerApprovalTask.objects.get_or_create(name=name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=community, workflow=workflow)
    return workflow


def approval_requested_notify(*, page, submitter) -> int:
    """Tell the other committee members of the page's community that a page waits for their approval."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from home.services.notifications import notify

    community = community_of(page)
    if community is None:
        return 0
    peers = get_user_model().objects.filter(
        groups__community_role__community=community, groups__community_role__role=Role.OWNERS_COMMITTEE
    )
    if submitter is not None:
        peers = peers.exclude(pk=submitter.pk)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    title = _("Waiting for your approval: %(title)s") % {"title": page.title}
    body = _("Another committee member must approve it before it is published.")
    sent = 0
    for peer in peers.distinct():
        notify(recipient=peer, title=title, body=body, url=url)
        sent += 1
    return sent


# --- the notice of a meeting --------------------------------------------------------------------------------


def meeting_notice_post(*, actor, meeting, body, community) -> NoticePage | None:
    """Post the notice of a meeting on the community's notice board (type "meeting notice", members only), as
    part of publishing the meeting's notice: the body's managers already decided to announce it (A-09, C-07).
    Party-branch meetings stay off the community board (G-03). Posting twice gives the same notice."""
    if body.kind == BodyPage.Kind.PARTY_BRANCH:
        return None
    slug = f"meeting-{meeting.pk}-notice"
    existing = NoticePage.objects.child_of(community).filter(slug=slug).first()
    if existing is not None:
        return existing
    starts = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    where = meeting.place or meeting.online_link
    agenda = format_html_join("", "<li>{}</li>", ((item.title,) for item in meeting.agenda_items.all()))
    text = format_html(
        '<p>{}：{}</p><p>{}：{}</p><p>{}：</p><ol>{}</ol><p><a href="{}">{}</a></p>',
        _("Time"),
        starts,
        _("Place"),
        where or "—",
        _("Agenda"),
        agenda,
        meeting.url or "",
        _("Meeting page"),
    )
    notice = NoticePage(
        title=_("Meeting notice: %(title)s") % {"title": meeting.title},
        slug=slug,
        notice_type=NoticePage.Type.MEETING,
        audience=NoticePage.Audience.COMMUNITY,
        is_public=False,
        issuer=body.title,
        body=text,
        expire_at=meeting.starts_at + timedelta(days=1),
    )
    community.add_child(instance=notice)
    notice.save_revision(user=actor, log_action=True).publish(user=actor, skip_permission_checks=True)
    return notice
