"""Who may do what with bodies, meetings, minutes and notices. Built on home.permissions: a role in one
community gives nothing in another."""

from home import permissions as home_permissions
from home.models import CommunityPage, CommunityRole

Role = CommunityRole.Role


def community_of(page) -> CommunityPage | None:
    """The community a governance page (body, meeting, notice) sits under."""
    cached = getattr(page, "_community_cache", None)
    if cached is None:
        cached = CommunityPage.objects.ancestor_of(page, inclusive=True).first()
        page._community_cache = cached
    return cached


def can_read_community_records(user, community) -> bool:
    """Published minutes, resolutions and non-public notices: the community's verified residents and role
    holders (V-15), and bureau staff."""
    return home_permissions.can_view_community_content(user, community)


def can_manage_bodies(user, community) -> bool:
    """Seating and unseating members of a community's bodies (G1): the community staff of that community and
    bureau staff. Committee members do not manage their own body: the assembly elects them, the community
    records the result, so nobody seats or unseats themselves."""
    return home_permissions.has_role(user, community, Role.COMMUNITY_STAFF) or home_permissions.is_bureau_staff(user)


def can_see_party_members(user, community) -> bool:
    """G-03: Party membership is restricted information: the branch itself, the community staff and bureau
    staff see who sits on the branch; nobody else, never on a public page."""
    return home_permissions.has_role(
        user, community, Role.PARTY_BRANCH, Role.COMMUNITY_STAFF
    ) or home_permissions.is_bureau_staff(user)


def can_manage_body_meetings(user, body) -> bool:
    """Scheduling and running a body's meetings (G2): the body's own current members, the community staff of
    that community, bureau staff."""
    if user is None or not user.is_authenticated or body is None:
        return False
    community = community_of(body)
    if community is None:
        return False
    if home_permissions.has_role(user, community, Role.COMMUNITY_STAFF) or home_permissions.is_bureau_staff(user):
        return True
    from governance.models import Membership

    return Membership.objects.filter(body=body, person__user=user, ended_on__isnull=True).exists()


def can_manage_meeting(user, meeting) -> bool:
    """Notice, attendance, minutes and resolutions of a meeting: as for its body's meetings, plus its recorder."""
    if user is None or not user.is_authenticated or community_of(meeting) is None:
        return False
    if meeting.recorder_id == user.pk:
        return True
    from governance.models import BodyPage

    return can_manage_body_meetings(user, BodyPage.objects.parent_of(meeting).first())


def can_read_meeting_records(user, meeting) -> bool:
    """Published minutes and resolutions of a meeting: the community's verified residents (V-15); a party
    branch's records name its members, so they follow G-03."""
    community = community_of(meeting)
    if community is None:
        return False
    from governance.models import BodyPage

    body = BodyPage.objects.parent_of(meeting).first()
    if body is not None and body.kind == BodyPage.Kind.PARTY_BRANCH:
        return can_see_party_members(user, community) or can_manage_meeting(user, meeting)
    return can_read_community_records(user, community) or can_manage_meeting(user, meeting)


def notice_approver_roles(community) -> tuple[str, ...]:
    """Who approves notices in the workflow: the owners' committee (or the interim committee, whose members hold
    the same role); where none is in office, the residents' committee through the community staff (C-15)."""
    committee_in_office = CommunityRole.objects.filter(
        community=community, role=Role.OWNERS_COMMITTEE, group__user__isnull=False
    ).exists()
    return (Role.OWNERS_COMMITTEE,) if committee_in_office else (Role.COMMUNITY_STAFF,)


def can_approve_notice(user, community) -> bool:
    return community is not None and home_permissions.has_role(user, community, *notice_approver_roles(community))


# ---------------------------------------------------------------- 议事厅 (discussions)


def can_take_part_in_discussions(user, community) -> bool:
    """Open topics, reply, follow, report, receive live posts: the community's verified residents and its role
    holders. Roles elsewhere give nothing here; bureau staff read but do not take part."""
    return bool(home_permissions.roles_in(user, community))


def can_read_topic(user, topic) -> bool:
    """Members read every topic of their community, bureau staff too; everyone else only public topics."""
    return topic.is_public or home_permissions.can_view_community_content(user, topic.community_id)


def can_moderate_discussions(user, community) -> bool:
    """Pin, close, hide and restore: the owners' committee, the deliberation council and the community staff
    (who stand in where no committee is in office, as for notices, C-15)."""
    return home_permissions.has_role(
        user, community, Role.OWNERS_COMMITTEE, Role.DELIBERATION_COUNCIL, Role.COMMUNITY_STAFF
    )


def can_start_owners_decision(user, community) -> bool:
    """The owners' committee convenes owners' decisions; the community staff stand in where there is none."""
    return home_permissions.has_role(user, community, Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF)


def can_see_ballot_register(user, community) -> bool:
    """Who voted how, the scans and the proxies (D-13): the owners' committee and the community (sub-district)
    staff only. Other owners see totals; a per-ballot inspection is a formal request outside the portal."""
    return home_permissions.has_role(user, community, Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF)


def can_run_willingness_surveys(user, community) -> bool:
    """The committee and the community staff run the renovation willingness survey and its door-to-door log."""
    return home_permissions.has_role(user, community, Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF)


# --- policy guidance and Q&A ---------------------------------------------------------------------------


def policy_official_of(user):
    """The active official record of the user (who answers in which role, where), or None. Cached per user."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_policy_official_cache"):
        from governance.models import PolicyOfficial

        user._policy_official_cache = (
            PolicyOfficial.objects.filter(user=user, active=True).select_related("district", "sub_district").first()
        )
    return user._policy_official_cache


def question_area(question):
    """Where a question belongs (its community's district and sub-district), as the domain rule wants it."""
    from governance.domain.policy import Area

    community = question.community
    if community is None:
        return Area()
    sub_district = community.sub_district
    return Area(district_id=sub_district.district_id, sub_district_id=sub_district.pk)


def official_jurisdiction(official):
    from governance.domain.policy import Jurisdiction

    return Jurisdiction(
        level=official.jurisdiction, district_id=official.district_id, sub_district_id=official.sub_district_id
    )


def can_use_policy_desk(user) -> bool:
    """The queue of questions: officials who answer (bureau, district, sub-district) and superusers."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or policy_official_of(user)))


def can_answer_question(user, question) -> bool:
    """Assign, answer, publish or close a question: an official whose jurisdiction covers it (a sub-district
    officer never answers another sub-district's or district's question)."""
    from governance.domain.policy import may_answer

    official = policy_official_of(user)
    if official is None:
        return False
    return may_answer(official_jurisdiction(official), question_area(question))


def can_read_question(user, question) -> bool:
    """The asker, the officials who may answer it, and the site administrator (who sees the whole desk but answers
    nothing without an official role). Nobody else: questions are private until published."""
    if user is None or not user.is_authenticated:
        return False
    return question.asker_id == user.pk or user.is_superuser or can_answer_question(user, question)


def can_approve_guidance(user) -> bool:
    """Publish a guidance document: the bureau's approvers (the workflow's step) and superusers."""
    from django.conf import settings

    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=settings.PORTAL_POLICY_APPROVER_GROUP).exists()
