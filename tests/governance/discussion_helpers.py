"""Builders for the 议事厅 tests (no tests here)."""

from datetime import timedelta

from django.utils import timezone

from governance.services import discussions as discussion_services
from home.models import CommunityRole, Residency, Unit
from tests.factories import PersonFactory, community_with_units, member

Role = CommunityRole.Role


def resident_in(community, *, building_index=0, role=Role.RESIDENT, **user_kwargs):
    """A verified resident living in a unit of the community's n-th building (so "N号楼住户" is offered)."""
    user = member(community, role, **user_kwargs)
    unit = Unit.objects.filter(entrance__building__community=community).order_by("entrance__building__sort_order", "pk")
    unit = next(u for u in unit if u.entrance.building.sort_order == building_index)
    person = PersonFactory(full_name=user.full_name, user=user)
    Residency.objects.create(unit=unit, person=person, relation=Residency.Relation.OWNER, verified_at=timezone.now())
    return user


def discussion_community(**kwargs):
    return community_with_units(buildings=2, entrances=1, units=2, **kwargs)


def topic_by(user, community, *, title="小区停车位怎么划线", body="大家说说看", minutes_ago=60, **kwargs):
    return discussion_services.topic_open(
        actor=user,
        community=community,
        title=title,
        body=body,
        now=timezone.now() - timedelta(minutes=minutes_ago),
        **kwargs,
    )
