"""Who counts as how many owners, and how much area they hold (V-16 … V-21).

Pure functions on plain dataclasses (no Django), so that the owners' vote can use the same counting as the
register: the caller turns units and their current ownerships into `UnitFacts` and gets an `OwnerTally`.

The rules:
- V-17: total area = the sum of the effective areas (V-16) of all exclusive parts counted.
- V-18: one exclusive part = one owner; a person owning several parts counts once; all parts the developer
  has not sold and all parts sold but not yet delivered count together as ONE owner, the developer.
- V-19: co-owners of one part count as one owner.
- V-20: special spaces (parking spaces, stalls) count towards area only when the community's rules say so;
  the caller must pass that choice, there is no default.
- V-21: registered owners and buyers in lawful possession pending registration are owners; a part held
  with the status "developer-retained" belongs to the developer.

[interp] Putting V-18 and V-19 together: owners are the connected groups of people linked by shared
parts. Spouses co-owning flat 1 while the husband alone owns flat 2 are ONE owner, because counting them as
two would count the husband twice, which V-18 forbids.
[interp] A delivered part whose owner is not known still has an owner: it counts as one owner of its own,
so that gaps in the register never shrink the total the thresholds are measured against (V-04).
[interp] V-20 is about area only: owners of special spaces count in the headcount like any other owner.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

CENT = Decimal("0.01")

STATUS_REGISTERED = "registered"
STATUS_POSSESSION_PENDING = "possession_pending_registration"
STATUS_DEVELOPER_RETAINED = "developer_retained"

DEVELOPER = "developer"
"""The owner key of the developer: every developer-retained or undelivered part maps to it (V-18)."""


@dataclass(frozen=True)
class OwnerShare:
    """One current ownership of a part.

    `identity_key` says who the person is across parts: the ID-number hash when known, else something
    unique to the person record (e.g. "person:17"). Equal keys are the same person (V-18).
    """

    identity_key: str
    status: str = STATUS_REGISTERED
    is_developer: bool = False

    @property
    def held_for_developer(self) -> bool:
        return self.is_developer or self.status == STATUS_DEVELOPER_RETAINED


@dataclass(frozen=True)
class UnitFacts:
    """One exclusive part as the counting rules need it. `area` is its effective area (V-16) or None."""

    key: Hashable
    area: Decimal | None
    owners: tuple[OwnerShare, ...] = ()
    delivered: bool = True
    is_special_space: bool = False


@dataclass(frozen=True)
class OwnerTally:
    """The owner headcount N and total area A of a set of parts (the V-04 denominators), and how each
    part maps to its owner so that ballots can be tallied against the same owners."""

    owner_count: int
    total_area: Decimal
    owner_of_unit: Mapping[Hashable, str] = field(default_factory=dict)
    area_by_owner: Mapping[str, Decimal] = field(default_factory=dict)
    developer_units: int = 0
    units_without_known_owner: int = 0
    units_without_area: int = 0


class _Groups:
    """Union-find over identity keys: people linked by a shared part end in one group."""

    def __init__(self):
        self._parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self._parent.setdefault(key, key)
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def join(self, keys: Iterable[str]) -> None:
        roots = sorted({self.find(key) for key in keys})
        for other in roots[1:]:
            self._parent[other] = roots[0]


def belongs_to_developer(unit: UnitFacts) -> bool:
    """V-18, V-21: sold but undelivered, or held by the developer (and by nobody else), or developer-retained."""
    if not unit.delivered:
        return True
    return bool(unit.owners) and all(share.held_for_developer for share in unit.owners)


def _people(unit: UnitFacts) -> list[str]:
    return sorted({share.identity_key for share in unit.owners if not share.held_for_developer})


def counted_area(unit: UnitFacts, *, include_special_spaces_in_area: bool) -> Decimal:
    """The area a part contributes to the total (V-17, V-20); a part without any area contributes 0."""
    if unit.area is None or (unit.is_special_space and not include_special_spaces_in_area):
        return Decimal("0.00")
    return Decimal(unit.area).quantize(CENT)


def owner_tally(units: Iterable[UnitFacts], *, include_special_spaces_in_area: bool) -> OwnerTally:
    """Count owners and area of `units` by V-16 … V-21 (see the module docstring)."""
    units = list(units)
    groups = _Groups()
    for unit in units:
        if not belongs_to_developer(unit) and unit.owners:
            groups.join(_people(unit))

    owner_of_unit: dict[Hashable, str] = {}
    area_by_owner: dict[str, Decimal] = {}
    developer_units = unknown = without_area = 0
    for unit in units:
        if belongs_to_developer(unit):
            owner = DEVELOPER
            developer_units += 1
        elif unit.owners:
            owner = f"owner:{groups.find(_people(unit)[0])}"
        else:
            owner = f"unit:{unit.key}"
            unknown += 1
        if unit.area is None:
            without_area += 1
        owner_of_unit[unit.key] = owner
        area = counted_area(unit, include_special_spaces_in_area=include_special_spaces_in_area)
        area_by_owner[owner] = area_by_owner.get(owner, Decimal("0.00")) + area

    return OwnerTally(
        owner_count=len(area_by_owner),
        total_area=sum(area_by_owner.values(), Decimal("0.00")).quantize(CENT),
        owner_of_unit=owner_of_unit,
        area_by_owner=area_by_owner,
        developer_units=developer_units,
        units_without_known_owner=unknown,
        units_without_area=without_area,
    )
