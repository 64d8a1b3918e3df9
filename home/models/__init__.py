from .audit import AuditEntry
from .imports import RegisterImport
from .notifications import Notification
from .pages import CommunityIndexPage, CommunityPage, HomePage
from .registry import (
    Building,
    District,
    Entrance,
    Ownership,
    Person,
    Residency,
    SubDistrict,
    Unit,
    UnitClaim,
)
from .roles import CommunityRole

__all__ = [
    "AuditEntry",
    "Building",
    "CommunityIndexPage",
    "CommunityPage",
    "CommunityRole",
    "District",
    "Entrance",
    "HomePage",
    "Notification",
    "Ownership",
    "Person",
    "RegisterImport",
    "Residency",
    "SubDistrict",
    "Unit",
    "UnitClaim",
]
