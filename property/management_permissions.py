"""Who may do what in property management (issue 9). Views ask; the writers in property.services.management ask
again.

- A company's staff reach only the communities their company serves now: through a contract in force (the open
  market-company period) or as the operator of a bundled group. The property-staff role of those communities is
  kept in step with that by ``company_access_sync``; the checks here look at the company itself.
- The owners' committee records contracts, management modes and dismissal notices; the community / sub-district
  staff may record modes and bundles too (连片打包 is organised by the community).
- Handover records belong to all owners once signed (P-05): every verified resident and owner reads them.
- A repair request is confirmed and rated only by the resident who filed it.
"""

from home.models import CommunityRole
from home.permissions import has_role, is_bureau_staff, is_verified_resident, roles_in
from property.domain import management as rules

Role = CommunityRole.Role


def company_posts(user) -> list:
    """The user's active CompanyStaff rows, with their companies. Cached on the user object."""
    if user is None or not user.is_authenticated:
        return []
    if not hasattr(user, "_company_posts_cache"):
        from property.models import CompanyStaff

        user._company_posts_cache = list(
            CompanyStaff.objects.filter(user=user, active=True, company__active=True).select_related("company")
        )
    return user._company_posts_cache


def forget_posts(user) -> None:
    if hasattr(user, "_company_posts_cache"):
        del user._company_posts_cache


def serving_company_id(community) -> int | None:
    """The company serving the community now, from its open management period (cached on the page object)."""
    if not hasattr(community, "_serving_company_cache"):
        from property.models import ManagementPeriod

        period = (
            ManagementPeriod.objects.filter(community=community, ends_on__isnull=True)
            .select_related("contract", "bundle")
            .first()
        )
        company_id = None
        if period is not None:
            if period.mode == rules.MARKET_COMPANY and period.contract_id:
                company_id = period.contract.company_id
            elif period.mode == rules.BUNDLED and period.bundle_id:
                company_id = period.bundle.operator_id
        community._serving_company_cache = company_id
    return community._serving_company_cache


def staff_company_for(user, community):
    """The company through which the user serves this community, or None."""
    company_id = serving_company_id(community)
    if company_id is None:
        return None
    for post in company_posts(user):
        if post.company_id == company_id:
            return post.company
    return None


def is_company_staff_of(user, company) -> bool:
    return any(post.company_id == company.pk for post in company_posts(user))


def is_company_manager_of(user, company) -> bool:
    return any(post.company_id == company.pk and post.is_manager for post in company_posts(user))


def is_committee(user, community) -> bool:
    return has_role(user, community, Role.OWNERS_COMMITTEE)


def is_community_staff(user, community) -> bool:
    return has_role(user, community, Role.COMMUNITY_STAFF)


def can_view_management(user, community) -> bool:
    """The management page (mode, history, contract, open handover items): anyone who belongs to the community,
    the company serving it, and the bureau."""
    return bool(roles_in(user, community)) or is_bureau_staff(user) or staff_company_for(user, community) is not None


def can_record_contract(user, community) -> bool:
    """P-01: the committee signs the contract with the company the assembly chose."""
    return is_committee(user, community)


def can_record_mode(user, community) -> bool:
    return is_committee(user, community) or is_community_staff(user, community) or is_bureau_staff(user)


def can_file_contract(user, contract) -> bool:
    """P-01: the company files the contract; the community staff may record the filing they received."""
    return is_company_manager_of(user, contract.company) or is_community_staff(user, contract.community)


def can_give_notice(user, contract, kind: str) -> bool:
    if kind == rules.OWNERS_DISMISS:
        return is_committee(user, contract.community)
    if kind == rules.COMPANY_NON_RENEWAL:
        return is_company_manager_of(user, contract.company)
    return is_committee(user, contract.community) or is_company_manager_of(user, contract.company)


# --- handovers ----------------------------------------------------------------------------------------------


def can_open_handover(user, community) -> bool:
    return (
        is_committee(user, community)
        or is_community_staff(user, community)
        or any(post.is_manager for post in company_posts(user))
    )


def can_edit_handover(user, handover) -> bool:
    """Record the checklist: the incoming and outgoing companies, the committee, the community staff."""
    community = handover.community
    if is_committee(user, community) or is_community_staff(user, community):
        return True
    return any(
        company is not None and is_company_staff_of(user, company)
        for company in (handover.incoming_company, handover.outgoing_company)
    )


def can_acknowledge_for_incoming(user, handover) -> bool:
    """The incoming party acknowledges missing and defective items before signing (P-04)."""
    if handover.incoming_company_id:
        return is_company_staff_of(user, handover.incoming_company)
    if handover.incoming_kind == "owners":
        return is_committee(user, handover.community)
    return is_community_staff(user, handover.community)


def signing_capacity(user, handover, party: str) -> str | None:
    """How the user may record ``party``'s signature: 'own' (signs in person), 'scan' (records a paper signature
    and must attach it), or None."""
    community = handover.community
    if party in (rules.OUTGOING, rules.INCOMING):
        company = handover.outgoing_company if party == rules.OUTGOING else handover.incoming_company
        kind = handover.outgoing_kind if party == rules.OUTGOING else handover.incoming_kind
        if company is not None:
            return "own" if is_company_manager_of(user, company) else None
        if kind == "owners" and is_committee(user, community):
            return "own"
        return "scan" if is_community_staff(user, community) else None
    if party == rules.COMMITTEE:
        if is_committee(user, community):
            return "own"
        # A small bundled community may have no owners' committee; the community signs in its place, on paper.
        return "scan" if is_community_staff(user, community) else None
    if party == rules.SUB_DISTRICT:
        if is_community_staff(user, community):
            return "own"
        from property.renovation_permissions import officer_of

        officer = officer_of(user)
        if (
            officer is not None
            and officer.level == "sub_district"
            and officer.sub_district_id == (community.sub_district_id)
        ):
            return "own"
    return None


def can_read_handover(user, handover) -> bool:
    """P-05: once signed, the records belong to all owners and they read them free of charge."""
    if can_edit_handover(user, handover) or is_bureau_staff(user):
        return True
    return handover.status == "signed" and is_verified_resident(user, handover.community)


# --- repairs ------------------------------------------------------------------------------------------------


def can_file_repair(user, community) -> bool:
    return is_verified_resident(user, community)


def can_handle_repairs(user, community) -> bool:
    """The company serving the community, or — where it manages itself or is bundled without a company — whoever
    holds the property-staff role there."""
    return has_role(user, community, Role.PROPERTY_STAFF)


def can_oversee_repairs(user, community) -> bool:
    """The committee sees every request, the overdue ones flagged, and the company's service figures."""
    return is_committee(user, community) or is_community_staff(user, community) or is_bureau_staff(user)


def can_read_repair(user, request) -> bool:
    return (
        request.filed_by_id == getattr(user, "pk", None)
        or can_handle_repairs(user, request.community)
        or can_oversee_repairs(user, request.community)
    )
