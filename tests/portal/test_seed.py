"""`manage.py seed_demo`: the demo city, deterministic and idempotent, built through the services.

The command runs twice once for the whole module, inside a transaction rolled back at the end, so the tests
read one seeded city without paying for the seed (about 15 s) each time and without leaking it to others.
"""

import datetime
import io
import time
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from wagtail.models import GroupPagePermission, Page, Revision

from governance.models import PolicyIndexPage
from home import permissions
from home.domain.identity import id_number_problem, normalise_mobile
from home.models import (
    AuditEntry,
    Building,
    CommunityIndexPage,
    CommunityPage,
    CommunityRole,
    District,
    Entrance,
    HomePage,
    Notification,
    Ownership,
    Person,
    Residency,
    SubDistrict,
    Unit,
    UnitClaim,
)
from portal.management.demo_city import DEMO_PASSWORD, SEED, build_city

Role = CommunityRole.Role
User = get_user_model()
COUNTED = (
    District,
    SubDistrict,
    Page,
    Revision,
    Building,
    Entrance,
    Unit,
    Person,
    Ownership,
    Residency,
    UnitClaim,
    User,
    EmailAddress,
    Group,
    GroupPagePermission,
    CommunityRole,
    Notification,
    AuditEntry,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        runs = []
        for _ in range(2):
            out = io.StringIO()
            started = time.monotonic()
            call_command("seed_demo", stdout=out)
            runs.append({"seconds": time.monotonic() - started, "counts": _counts(), "output": out.getvalue()})
        yield runs
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _seeded_city(seeded, db):
    """Every test reads the seeded city; its own changes are rolled back after it, as usual."""


@pytest.fixture
def city():
    return build_city()


def _community(slug: str) -> CommunityPage:
    return CommunityPage.objects.get(slug=slug)


def _units(slug: str):
    return Unit.objects.filter(entrance__building__community__slug=slug)


# --- the plan ----------------------------------------------------------------------------------------------


def test_plan_is_the_same_on_every_run():
    assert build_city() == build_city()
    assert build_city(SEED + 1) != build_city()


def test_every_planned_id_number_is_valid_and_unique():
    people = {
        o.person
        for c in build_city().communities
        for b in c.buildings
        for e in b.entrances
        for u in e.units
        for o in u.owners
    }
    ids = [p.id_number for p in people if not p.is_developer]
    assert len(ids) == len(set(ids)) > 1000
    assert all(id_number_problem(value, today=datetime.date(2026, 11, 27)) is None for value in ids)
    assert all(normalise_mobile(p.phone) for p in people if p.phone)


# --- the seeded city -------------------------------------------------------------------------------------


def test_second_run_adds_nothing_and_changes_nothing(seeded):
    first, second = seeded
    assert first["counts"] == second["counts"]
    assert "本次新增：无。" in second["output"]


def test_two_districts_four_sub_districts_and_eight_live_communities(city):
    assert set(District.objects.values_list("name", flat=True)) == {"卫滨区", "红旗区"}
    assert SubDistrict.objects.count() == 4
    index = CommunityIndexPage.objects.get()
    communities = CommunityPage.objects.child_of(index).live()
    assert communities.count() == 8  # six of the city's own, two small ones bundled with 铁路新村
    assert set(communities.values_list("title", flat=True)) == {c.title for c in city.communities}


def test_site_pages_have_their_chinese_titles_and_intros():
    home = HomePage.objects.get()
    assert "社区共治平台" in home.intro
    index = CommunityIndexPage.objects.get()
    policy = PolicyIndexPage.objects.get()
    assert (index.title, index.live, index.get_parent().pk) == ("小区", True, home.pk)
    assert (policy.title, policy.live, policy.get_parent().pk) == ("政策指引", True, home.pk)
    assert "政策" in policy.intro


def test_one_community_has_about_six_hundred_homes(city):
    homes = _units("xiangyang-xincun").filter(kind=Unit.Kind.RESIDENCE).count()
    assert 550 <= homes <= 650


def test_railway_compound_is_a_sgyy_handover_with_its_former_work_unit():
    railway = CommunityPage.objects.get(is_sgyy_compound=True)
    assert railway.title == "铁路新村"
    assert railway.former_property_unit == "新乡铁路分局"
    assert railway.sub_district.name == "铁西街道"


def test_a_pre_1990_compound_has_no_property_company():
    assert CommunityPage.objects.filter(year_built__lt=1990, management_mode=CommunityPage.ManagementMode.NONE).exists()


def test_communities_differ_in_management_mode_and_renovation_status():
    pages = CommunityPage.objects.all()
    assert set(pages.values_list("management_mode", flat=True)) == set(CommunityPage.ManagementMode.values)
    assert len(set(pages.values_list("renovation_status", flat=True))) >= 4


def test_every_community_has_its_role_groups_and_page_permissions():
    for community in CommunityPage.objects.all():
        assert set(community.roles.values_list("role", flat=True)) == set(Role.values)
        assert GroupPagePermission.objects.filter(page=community).exists()


def test_areas_show_every_source_of_v16():
    sources = Counter(unit.area_source for unit in Unit.objects.all())
    assert set(sources) == {"registered", "surveyed", "contract"}
    assert sources["registered"] > sources["surveyed"] > 0
    # A registered area wins over a surveyed one on the same unit.
    both = Unit.objects.filter(registered_area__isnull=False, surveyed_area__isnull=False).first()
    assert both.effective_area == both.registered_area


def test_every_unit_has_exactly_one_designated_voter_v19():
    voters = Unit.objects.annotate(
        voters=Count("ownerships", filter=Q(ownerships__is_designated_voter=True, ownerships__ended_on__isnull=True))
    )
    assert not voters.exclude(voters=1).exists()
    co_owned = Unit.objects.annotate(owners=Count("ownerships")).filter(owners__gte=2)
    assert co_owned.count() > 100


def test_some_owner_holds_several_units_in_one_community_v18():
    multi = (
        Ownership.objects.filter(person__is_developer=False)
        .values("person", "unit__entrance__building__community")
        .annotate(units=Count("unit"))
        .filter(units__gte=2)
    )
    assert multi.exists()


def test_developer_keeps_unsold_and_undelivered_units_as_one_person_v18_v21():
    developer = Person.objects.get(is_developer=True)
    retained = Unit.objects.filter(ownerships__person=developer)
    assert set(developer.ownerships.values_list("owner_status", flat=True)) == {"developer_retained"}
    assert retained.filter(delivered=False).count() == 3
    assert retained.filter(delivered=True, kind=Unit.Kind.RESIDENCE).count() == 6
    assert retained.filter(kind=Unit.Kind.SPECIAL_SPACE).exists()


def test_unregistered_homes_are_owned_in_possession_pending_registration_v21():
    pending = Ownership.objects.filter(owner_status="possession_pending_registration")
    assert pending.exists()
    assert not pending.filter(unit__registered_area__isnull=False).exists()


def test_parking_spaces_are_special_spaces_v20():
    spaces = Unit.objects.filter(kind=Unit.Kind.SPECIAL_SPACE)
    assert spaces.count() == 20
    assert not spaces.filter(ownerships__isnull=True).exists()


def test_personal_identifiers_are_stored_normalised_and_encrypted():
    person = Person.objects.filter(is_developer=False).exclude(id_number="").first()
    assert person.phone.startswith("+86139")
    assert person.id_number_hash
    assert person.masked_id_number.startswith("4107") and "*" in person.masked_id_number


def _user(username):
    return User.objects.get(username=username)


def test_every_demo_account_logs_in_with_its_phone_or_email(city):
    for spec in city.accounts:
        user = _user(spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert (user.phone, user.phone_verified) == (spec.phone, True)
        assert EmailAddress.objects.filter(user=user, email=spec.email, verified=True, primary=True).exists()


def test_admin_is_a_superuser_and_bureau_staff_is_city_wide():
    assert _user("admin").is_superuser
    bureau = _user("bureau")
    assert not bureau.is_superuser
    assert permissions.is_bureau_staff(bureau)
    assert not permissions.roles_in(bureau, _community("xiangyang-xincun"))


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("community_staff", Role.COMMUNITY_STAFF),
        ("committee", Role.OWNERS_COMMITTEE),
        ("party", Role.PARTY_BRANCH),
        ("council", Role.DELIBERATION_COUNCIL),
        ("property", Role.PROPERTY_STAFF),
    ],
)
def test_each_role_account_holds_its_role_in_xiangyang_only(username, role):
    user = _user(username)
    assert permissions.roles_in(user, _community("xiangyang-xincun")) == {role}
    assert not permissions.roles_in(user, _community("tielu-xincun"))


def test_committee_member_verifies_claims_in_her_community_only():
    committee = _user("committee")
    assert permissions.can_verify_claims(committee, _community("xiangyang-xincun"))
    assert not permissions.can_verify_claims(committee, _community("xinhua-yuan"))


def test_verified_owner_is_linked_to_the_registered_owner_of_her_home():
    owner = _user("owner")
    xiangyang = _community("xiangyang-xincun")
    assert permissions.roles_in(owner, xiangyang) == {Role.RESIDENT, Role.OWNER}
    residency = Residency.objects.get(person__user=owner)
    assert (residency.relation, residency.unit.label) == ("owner", "3号楼2单元301室")
    ownership = Ownership.objects.get(person__user=owner)
    assert ownership.unit == residency.unit and ownership.is_designated_voter
    assert UnitClaim.objects.get(user=owner).status == UnitClaim.Status.VERIFIED


def test_verified_tenant_is_a_resident_but_not_an_owner():
    tenant = _user("tenant")
    assert permissions.roles_in(tenant, _community("xiangyang-xincun")) == {Role.RESIDENT}
    assert Residency.objects.get(person__user=tenant).relation == "tenant"
    assert not Ownership.objects.filter(person__user=tenant).exists()


def test_new_user_has_no_role_and_a_claim_waiting_for_the_committee():
    newcomer = _user("newcomer")
    assert not any(permissions.roles_in(newcomer, c) for c in CommunityPage.objects.all())
    claim = UnitClaim.objects.get(user=newcomer)
    assert claim.status == UnitClaim.Status.PENDING
    assert claim.unit.label == "7号楼3单元101室"


def test_seed_writes_through_the_services_with_audit_entries():
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"community.create", "unit.create", "ownership.create", "unit_claim.verify"} <= actions
    assert AuditEntry.objects.filter(action="unit.create").count() == Unit.objects.count()


def test_seed_refuses_production_settings_because_the_demo_passwords_are_public(settings):
    settings.SETTINGS_MODULE = "portal.settings.production"
    before = _counts()
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before


def test_summary_prints_the_city_and_the_demo_accounts(seeded, city):
    output = seeded[0]["output"]
    assert "新乡市" in output and DEMO_PASSWORD in output
    for spec in city.accounts:
        assert spec.phone in output and spec.email in output
