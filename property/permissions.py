"""Who may read and keep a community's accounts (issue 6). Views ask; the writers in property/services ask again.

- Property fees are billed and collected by the property company's staff, who hold the property-staff role only
  in the communities their company serves, by the owners' committee where the community manages itself, and by
  the community staff where the community guarantees the management (兜底, bundled small communities).
- Public income, the working fund, donations and cost-sharing belong to the owners (V-11): the committee and
  the community staff keep them; the property company does not.
- A household's statement is read by its owners and its verified residents (a tenant may be the payer, F-02).
"""

from django.db.models import Q
from django.utils import timezone

from home.models import CommunityRole, Ownership, Residency
from home.permissions import has_role, is_bureau_staff, is_verified_resident

from .models import Fund

Role = CommunityRole.Role

FEE_KEEPERS = (Role.OWNERS_COMMITTEE, Role.PROPERTY_STAFF, Role.COMMUNITY_STAFF)
FUND_KEEPERS = (Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF)


def can_keep_fund(user, community, fund: str) -> bool:
    """Record charges, payments, refunds and corrections in one account of the community."""
    roles = FEE_KEEPERS if fund == Fund.PROPERTY_FEES else FUND_KEEPERS
    return has_role(user, community, *roles)


def can_keep_any_fund(user, community) -> bool:
    return has_role(user, community, *FEE_KEEPERS, *FUND_KEEPERS)


def funds_kept_by(user, community) -> list[str]:
    return [fund for fund in Fund.values if can_keep_fund(user, community, fund)]


def can_read_fee_reports(user, community) -> bool:
    """Arrears by unit, collection rates, ledgers and their exports: the keepers and the housing bureau."""
    return can_keep_any_fund(user, community) or is_bureau_staff(user)


def can_read_fund_reports(user, community, fund: str) -> bool:
    """Exports and journals of one account. The owners' own accounts (public income, working fund, donations,
    cost-sharing) belong to the owners (V-11): their keepers and the bureau read them, the property company not."""
    if fund == Fund.PROPERTY_FEES:
        return can_read_fee_reports(user, community)
    return can_keep_fund(user, community, fund) or is_bureau_staff(user)


def can_publish_disclosure(user, community) -> bool:
    return has_role(user, community, Role.OWNERS_COMMITTEE, Role.PROPERTY_STAFF, Role.COMMUNITY_STAFF)


def can_read_disclosures(user, community) -> bool:
    """Statements are for the community's verified residents (and those who keep the accounts)."""
    return is_verified_resident(user, community) or can_read_fee_reports(user, community)


def can_read_arrears_notice(user, community) -> bool:
    """D-06: the masked arrears list is for signed-in owners of the same community only."""
    return has_role(user, community, Role.OWNER) or can_read_fee_reports(user, community)


def household_unit_ids(user, community=None) -> set[int]:
    """Units whose statement the user may read: owned now, or lived in as a verified resident now."""
    if user is None or not user.is_authenticated:
        return set()
    person = getattr(user, "person", None)
    if person is None:
        return set()
    today = timezone.localdate()
    current = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    owned = Ownership.objects.filter(current, person=person)
    lived = Residency.objects.filter(current, person=person)
    if community is not None:
        owned = owned.filter(unit__entrance__building__community=community)
        lived = lived.filter(unit__entrance__building__community=community)
    return set(owned.values_list("unit_id", flat=True)) | set(lived.values_list("unit_id", flat=True))


def can_read_household(user, unit) -> bool:
    """A household's statement: its own people, or whoever keeps the fees of its community."""
    community = unit.entrance.building.community
    return unit.pk in household_unit_ids(user) or can_read_fee_reports(user, community)
