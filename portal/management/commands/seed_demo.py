"""`python manage.py seed_demo`: the demo city, built through the services, deterministic and idempotent.

The plan comes from portal.management.demo_city (plain values from one fixed random seed); this command
applies it with the services of home/ (communities, registry, claims, roles), each of which writes its own
audit entry. A second run finds everything in place and adds nothing.
"""

import logging
import time
from contextlib import contextmanager

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from governance.models import Ballot, OwnersDecision, PolicyIndexPage
from home.models import (
    Building,
    CommunityPage,
    CommunityRole,
    District,
    Entrance,
    HomePage,
    Ownership,
    Person,
    Residency,
    SubDistrict,
    Unit,
    UnitClaim,
)
from home.services import claims, communities, registry
from home.services.roles import bureau_group, role_grant
from portal.management.demo_bodies import seed_bodies
from portal.management.demo_city import DEMO_PASSWORD, AccountSpec, City, CommunitySpec, PersonSpec, build_city
from portal.management.demo_decisions import seed_decisions
from portal.management.demo_discussions import seed_discussions
from portal.management.demo_fees import seed_fees
from portal.management.demo_management import seed_management
from portal.management.demo_meetings import seed_meetings
from portal.management.demo_notices import seed_notices
from portal.management.demo_policy import seed_policy
from portal.management.demo_renovation import seed_renovation
from portal.management.demo_surveys import seed_surveys

User = get_user_model()
PRODUCTION_SETTINGS = "portal.settings.production"


class Command(BaseCommand):
    help = "Build the demo city (新乡市): districts, communities, registry, demo accounts. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with portal.settings.production (a public demo site only: the passwords are public).",
        )

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS and not options["allow_production"]:
            raise CommandError(
                "拒绝在生产环境写入演示数据：演示账户（含超级管理员 admin）的密码是公开的。"
                "仅用于公开演示站点时，请加 --allow-production。"
            )
        started = time.monotonic()
        city = build_city()
        before = _counts()
        # The demo addresses are fictitious: nothing is mailed while seeding. (Mail the services hand to the
        # background queue is sent later by the worker with the site's backend: the console in development.)
        with _quiet(), override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            with transaction.atomic():
                index = self._site_pages(city)
                sub_districts = self._districts(city)
                pages = {spec.key: self._community(spec, index, sub_districts) for spec in city.communities}
                users = {spec.username: self._account(spec, pages) for spec in city.accounts}
                self._claims(city, pages, users)
            # Governance on top of the registry: bodies first (meetings need their members), then notices, then
            # the 议事厅 (its committee puts a topic on a meeting's agenda), then the owners' votes (cast online by
            # the residents' accounts the 议事厅 seed creates, entered by the committee or the community staff) and
            # the renovation willingness survey (answered online by those accounts too); property management last (its
            # contracts rest on the owners' votes and end the fees demo's rates, its repairs need residents' accounts).
            parts = (
                seed_bodies,
                seed_meetings,
                seed_notices,
                seed_discussions,
                seed_decisions,
                seed_surveys,
                seed_fees,
                seed_policy,
                seed_renovation,
                seed_management,
            )
            for seed_part in parts:
                with transaction.atomic():
                    seed_part(self.stdout)
        self._summary(city, pages, before, _counts(), time.monotonic() - started)

    # --- pages ---------------------------------------------------------------------------------------

    def _site_pages(self, city: City):
        home = HomePage.objects.get()
        communities.home_page_intro_set(actor=None, home_page=home, intro=city.home_intro)
        index = communities.community_index_ensure(
            actor=None, home_page=home, title="小区", slug="xiaoqu", intro=city.community_index_intro
        )
        communities.child_page_ensure(
            actor=None,
            parent=home,
            page_class=PolicyIndexPage,
            slug="zhengce",
            title="政策指引",
            intro=city.policy_index_intro,
        )
        return index

    def _districts(self, city: City) -> dict[tuple[str, str], SubDistrict]:
        # Reference data edited by bureau staff as admin snippets; no service writes it.
        found = {}
        for name, code, sub_names in city.districts:
            district, _ = District.objects.get_or_create(name=name, defaults={"code": code})
            for sub_name in sub_names:
                found[name, sub_name], _ = SubDistrict.objects.get_or_create(district=district, name=sub_name)
        return found

    def _community(self, spec: CommunitySpec, index, sub_districts) -> CommunityPage:
        community = communities.community_ensure(
            actor=None,
            index_page=index,
            slug=spec.slug,
            title=spec.title,
            sub_district=sub_districts[spec.district, spec.sub_district],
            address=spec.address,
            year_built=spec.year_built,
            management_mode=spec.management_mode,
            renovation_status=spec.renovation_status,
            is_sgyy_compound=spec.is_sgyy_compound,
            former_property_unit=spec.former_property_unit,
            intro=spec.intro,
        )
        self._registry(spec, community)
        return community

    # --- registry ------------------------------------------------------------------------------------

    def _registry(self, spec: CommunitySpec, community: CommunityPage) -> None:
        people = _PersonCache()
        for b in spec.buildings:
            building = registry.building_ensure(
                actor=None, community=community, name=b.name, floors=b.floors, sort_order=b.sort_order
            )
            for e in b.entrances:
                entrance = registry.entrance_ensure(actor=None, building=building, name=e.name, sort_order=e.sort_order)
                for u in e.units:
                    unit = registry.unit_ensure(
                        actor=None,
                        entrance=entrance,
                        room=u.room,
                        kind=u.kind,
                        registered_area=u.registered_area,
                        surveyed_area=u.surveyed_area,
                        contract_area=u.contract_area,
                        delivered=u.delivered,
                    )
                    for owner in u.owners:
                        registry.ownership_add(
                            actor=None,
                            unit=unit,
                            person=people.get(owner.person),
                            owner_status=owner.owner_status,
                            is_designated_voter=owner.is_designated_voter,
                        )

    # --- accounts and claims -------------------------------------------------------------------------

    def _account(self, spec: AccountSpec, pages: dict[str, CommunityPage]):
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                full_name=spec.full_name,
                phone=spec.phone,
                phone_verified=True,
                email=spec.email,
                is_staff=spec.superuser,
                is_superuser=spec.superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=spec.email, defaults={"verified": True, "primary": True})
        if spec.bureau:
            bureau_group().user_set.add(user)
        for role in spec.roles:
            role_grant(user, pages[spec.community], role)
        return user

    def _claims(self, city: City, pages: dict[str, CommunityPage], users: dict):
        verifier = users["committee"]
        for spec in city.accounts:
            if spec.claim is None:
                continue
            c = spec.claim
            unit = Unit.objects.get(
                entrance__building__community=pages[c.community],
                entrance__building__name=c.building,
                entrance__name=c.entrance,
                room=c.room,
            )
            user = users[spec.username]
            claim = UnitClaim.objects.filter(user=user, unit=unit, status__in=["pending", "verified"]).first()
            if claim is None:
                claim = claims.unit_claim_submit(
                    user=user,
                    unit=unit,
                    relation=c.relation,
                    claimant_name=spec.full_name,
                    evidence_note=c.evidence_note,
                )
            if c.verified and claim.status == UnitClaim.Status.PENDING:
                claims.unit_claim_verify(actor=verifier, claim=claim)

    # --- summary -------------------------------------------------------------------------------------

    def _summary(self, city: City, pages, before: dict, after: dict, seconds: float) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS(f"演示城市“{city.name}”已就绪（{seconds:.1f} 秒）。"))
        out.write("，".join(f"{label} {after[label]}" for label in after) + "。")
        added = {label: after[label] - before[label] for label in after if after[label] != before[label]}
        out.write("本次新增：" + ("，".join(f"{label} {n}" for label, n in added.items()) if added else "无") + "。")
        for spec in city.communities:
            page = pages[spec.key]
            units = Unit.objects.filter(entrance__building__community=page).count()
            sgyy = "，三供一业移交小区" if spec.is_sgyy_compound else ""
            out.write(
                f"  {spec.title}（{spec.district}{spec.sub_district}，{spec.year_built}年建成，"
                f"{page.get_management_mode_display()}，{page.get_renovation_status_display()}{sgyy}）：{units} 套"
            )
        out.write(f"演示账户（仅供演示，密码均为 {DEMO_PASSWORD}，可用手机号或邮箱登录）：")
        role_labels = dict(CommunityRole.Role.choices)
        for spec in city.accounts:
            where = f"，{city.community(spec.community).title}" if spec.community else ""
            roles = "、".join(str(role_labels[r]) for r in spec.roles)
            out.write(f"  {spec.label}：{spec.phone} / {spec.email}（用户名 {spec.username}{where}）{roles}")


@contextmanager
def _quiet():
    """Keep Wagtail's and the task queue's per-page INFO lines out of the summary."""
    loggers = [logging.getLogger(name) for name in ("wagtail", "django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _counts() -> dict[str, int]:
    return {
        "区": District.objects.count(),
        "街道": SubDistrict.objects.count(),
        "小区": CommunityPage.objects.count(),
        "楼栋": Building.objects.count(),
        "单元": Entrance.objects.count(),
        "房屋及车位": Unit.objects.count(),
        "登记人员": Person.objects.count(),
        "产权记录": Ownership.objects.count(),
        "居住关系": Residency.objects.count(),
        "认领": UnitClaim.objects.count(),
        "账户": User.objects.count(),
        "业主表决": OwnersDecision.objects.count(),
        "表决票": Ballot.objects.count(),
    }


class _PersonCache:
    """People of the plan mapped to registry rows. registry.person_ensure dedupes by ID number (V-18) and the
    developer by name; the cache only spares the queries for an owner of several units."""

    def __init__(self):
        self._rows: dict[PersonSpec, Person] = {}

    def get(self, spec: PersonSpec) -> Person:
        if spec not in self._rows:
            self._rows[spec] = registry.person_ensure(
                actor=None,
                full_name=spec.full_name,
                phone=spec.phone,
                id_number=spec.id_number,
                is_developer=spec.is_developer,
            )
        return self._rows[spec]
