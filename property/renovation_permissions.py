"""Who may apply for, review, plan and carry out a renovation project (issue 8). Views ask; the writers in
property.services.renovation ask again.

- The application comes from the owners' committee, or, where the community has none, from its verified residents
  (ten or more sign it).
- The community recommendation is signed by the community's own staff (the community-staff role); the sub-district,
  county/district and city levels by the officers registered as RenovationOfficer, each only in their own area.
- Execution (milestones, money received) is recorded by the county/district officers and the city; progress
  reports also by the community's staff.
"""

from django.contrib.auth import get_user_model

from home.models import CommunityRole
from home.permissions import has_role, is_bureau_staff, is_verified_resident, roles_in
from property.domain import renovation as rules

Role = CommunityRole.Role


def officer_of(user):
    """The active RenovationOfficer record of the user, or None. Cached on the user object."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_renovation_officer_cache"):
        from property.models import RenovationOfficer

        user._renovation_officer_cache = RenovationOfficer.objects.filter(user=user, active=True).first()
    return user._renovation_officer_cache


def community_area(community) -> rules.Area:
    return rules.Area(sub_district_id=community.sub_district_id, district_id=community.sub_district.district_id)


def project_area(project) -> rules.Area:
    return community_area(project.community)


def officer_at(user, community, level: str) -> rules.Officer | None:
    """The user as a reviewer at ``level``, with their area; None if they hold no role at that level."""
    if level == rules.COMMUNITY:
        if has_role(user, community, Role.COMMUNITY_STAFF):
            return rules.Officer(rules.COMMUNITY, community_area(community))
        return None
    officer = officer_of(user)
    if officer is None or officer.level != level:
        return None
    return rules.Officer(level, rules.Area(sub_district_id=officer.sub_district_id, district_id=officer.district_id))


def covers(user, community) -> bool:
    """Any reviewer whose area includes the community (the city covers all)."""
    if has_role(user, community, Role.COMMUNITY_STAFF):
        return True
    officer = officer_of(user)
    if officer is None:
        return False
    area = community_area(community)
    return (
        officer.level == rules.CITY
        or (officer.level == rules.DISTRICT and officer.district_id == area.district_id)
        or (officer.level == rules.SUB_DISTRICT and officer.sub_district_id == area.sub_district_id)
    )


def is_city_reviewer(user) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.level == rules.CITY


def may_review(user, project, level: str) -> bool:
    from property.models import RenovationProject

    if project.stage != RenovationProject.Stage.IN_REVIEW:
        return False
    return not rules.review_refusal(
        officer_at(user, project.community, level), project.review_level, project_area(project), level
    )


def community_has_committee(community) -> bool:
    return (
        get_user_model()
        .objects.filter(groups__community_role__community=community, groups__community_role__role=Role.OWNERS_COMMITTEE)
        .exists()
    )


def applying_as(user, community) -> str:
    """ "committee", "residents" or "" (may not apply)."""
    if has_role(user, community, Role.OWNERS_COMMITTEE):
        return "committee"
    if is_verified_resident(user, community) and not community_has_committee(community):
        return "residents"
    return ""


def may_sign(user, project) -> bool:
    return is_verified_resident(user, project.community)


def is_applicant_side(user, project) -> bool:
    return project.applicant_id == getattr(user, "pk", None) or (
        has_role(user, project.community, Role.OWNERS_COMMITTEE) and project.applied_as == "committee"
    )


def may_edit_items(user, project) -> bool:
    """Items, funding plan and survey link: the applicant side and the community's staff while the application is
    prepared or revised; the reviewers covering the community until the project enters the plan."""
    from property.models import RenovationProject

    Stage = RenovationProject.Stage
    if project.stage in (Stage.DRAFT, Stage.RETURNED) and (
        is_applicant_side(user, project) or has_role(user, project.community, Role.COMMUNITY_STAFF)
    ):
        return True
    return project.stage in (Stage.IN_REVIEW, Stage.APPROVED) and covers(user, project.community)


def may_record_execution(user, project) -> bool:
    officer = officer_of(user)
    if officer is None:
        return False
    return officer.level == rules.CITY or (
        officer.level == rules.DISTRICT and officer.district_id == project.community.sub_district.district_id
    )


def may_report_progress(user, project) -> bool:
    return may_record_execution(user, project) or has_role(user, project.community, Role.COMMUNITY_STAFF)


def may_read(user, project) -> bool:
    """Approved projects are public; an application is read by its community and the reviewers covering it."""
    if project.is_public:
        return True
    return bool(roles_in(user, project.community)) or covers(user, project.community) or is_bureau_staff(user)


def reviewers_at(project, level: str):
    """The users who decide at ``level`` for this project (to notify them)."""
    from property.models import RenovationOfficer

    community = project.community
    if level == rules.COMMUNITY:
        return get_user_model().objects.filter(
            groups__community_role__community=community, groups__community_role__role=Role.COMMUNITY_STAFF
        )
    officers = RenovationOfficer.objects.filter(active=True, level=level)
    if level == rules.SUB_DISTRICT:
        officers = officers.filter(sub_district_id=community.sub_district_id)
    elif level == rules.DISTRICT:
        officers = officers.filter(district_id=community.sub_district.district_id)
    return get_user_model().objects.filter(renovation_officer__in=officers)


def person_name(user) -> str:
    person = getattr(user, "person", None)
    return (person.full_name if person else "") or user.get_full_name() or user.get_username()


def signature(user, project, level: str) -> str:
    """How a step is signed: the officer's organisation and position, or the applicant's capacity, and the name."""
    name = person_name(user)
    officer = officer_of(user)
    if level and level != rules.COMMUNITY and officer is not None:
        return f"{officer.organisation} {officer.position} {name}"
    if level == rules.COMMUNITY:
        return f"{project.community.sub_district.name}{project.community.title}社区工作人员 {name}"
    if level == "" and officer is not None and not is_applicant_side(user, project):
        return f"{officer.organisation} {officer.position} {name}"
    if project.applied_as == "committee":
        return f"{project.community.title}业主委员会 {name}"
    return f"{project.community.title}居民 {name}"
