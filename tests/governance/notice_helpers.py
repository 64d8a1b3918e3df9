"""Builders for the notices tests (kept beside them so tests/factories.py stays the foundation's)."""

from datetime import timedelta

from django.utils import timezone

from governance.models import NoticePage
from home.models import Residency
from tests.factories import PersonFactory, UnitFactory, UserFactory, member


def notice_add(community, *, title="停水通知", publish=True, buildings=(), **fields) -> NoticePage:
    fields.setdefault("body", "<p>正文</p>")
    if buildings:
        fields["audience"] = NoticePage.Audience.BUILDINGS
    notice = NoticePage(title=title, live=publish, **fields)
    community.add_child(instance=notice)
    if buildings:
        notice.buildings.set(buildings)
    revision = notice.save_revision()
    if publish:
        revision.publish()
        notice.refresh_from_db()
    return notice


def resident_of(building, role="resident"):
    """A verified resident (role + residency) living in `building`."""
    user = member(building.community, role)
    unit = UnitFactory(entrance__building=building)
    person = PersonFactory(user=user)
    Residency.objects.create(unit=unit, person=person, relation=Residency.Relation.OWNER, verified_at=timezone.now())
    return user


def outsider():
    return UserFactory()


def in_days(days):
    return timezone.now() + timedelta(days=days)
