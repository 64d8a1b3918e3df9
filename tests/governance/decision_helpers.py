"""Builders for the owners'-vote and willingness-survey tests (no tests here)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from governance.models import OwnersDecision
from governance.services import decisions as svc
from home.models import CommunityRole, Residency, Unit
from home.services.roles import role_grant
from tests.factories import OwnershipFactory, PersonFactory, community_with_units, member

Role = CommunityRole.Role


@dataclass
class VoteCommunity:
    """A community whose every home has one owner with an account (owners[i] owns units[i])."""

    community: object
    chair: object
    units: list
    owners: list = field(default_factory=list)
    persons: list = field(default_factory=list)


def vote_community(
    *, buildings=2, units=3, parking=0, include_special_spaces_in_area=False, ballots_changeable=False, **kwargs
) -> VoteCommunity:
    community = community_with_units(buildings=buildings, entrances=1, units=units, parking=parking, **kwargs)
    chair = member(community, Role.OWNERS_COMMITTEE, full_name="王主任")
    homes = list(
        Unit.objects.filter(entrance__building__community=community, kind=Unit.Kind.RESIDENCE).order_by(
            "entrance__building__sort_order", "room"
        )
    )
    built = VoteCommunity(community=community, chair=chair, units=homes)
    for i, unit in enumerate(homes):
        user = member(community, Role.OWNER, full_name=f"业主{i}")
        role_grant(user, community, Role.RESIDENT)
        person = PersonFactory(full_name=user.full_name, user=user)
        OwnershipFactory(unit=unit, person=person)
        Residency.objects.create(
            unit=unit, person=person, relation=Residency.Relation.OWNER, verified_at=timezone.now()
        )
        built.owners.append(user)
        built.persons.append(person)
    svc.procedure_rules_set(
        actor=chair,
        community=community,
        include_special_spaces_in_area=include_special_spaces_in_area,
        ballots_changeable=ballots_changeable,
        objection_days=7,
    )
    return built


def draft_vote(
    vc: VoteCommunity, *, matter="4", questions=("同意续聘XX物业公司",), days=16, **kwargs
) -> OwnersDecision:
    now = timezone.now()
    return svc.decision_save_draft(
        actor=vc.chair,
        community=vc.community,
        title=kwargs.pop("title", "续聘物业服务企业"),
        matter=matter,
        opens_at=kwargs.pop("opens_at", now + timedelta(minutes=1)),
        closes_at=kwargs.pop("closes_at", now + timedelta(days=days)),
        questions=list(questions),
        **kwargs,
    )


def open_vote(vc: VoteCommunity, **kwargs) -> OwnersDecision:
    """An announced vote whose voting period has begun (opening moved into the past after announcing)."""
    decision = svc.decision_announce(actor=vc.chair, decision=draft_vote(vc, **kwargs))
    OwnersDecision.objects.filter(pk=decision.pk).update(opens_at=timezone.now() - timedelta(minutes=5))
    decision.refresh_from_db()
    return decision


def answers_for(decision: OwnersDecision, choice="approve") -> dict:
    return {q.pk: choice for q in decision.questions.all()}


def close_now(decision: OwnersDecision) -> OwnersDecision:
    """Move the closing time into the past (the vote period has run out)."""
    OwnersDecision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    decision.refresh_from_db()
    return decision
