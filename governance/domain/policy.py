"""Policy Q&A rules: who may answer which question, how a question moves, what a published answer may not
contain, and when an answer counts as weak. Pure: plain values only.

Personal data (D-01, D-05): a published answer is public, so the asker's name, phone, ID number and unit
never appear in it; the official who answered is named in their official role (that is public duty).
"""

import re
from dataclasses import dataclass

# --- jurisdiction -----------------------------------------------------------------------------------

CITY, DISTRICT, SUB_DISTRICT = "city", "district", "sub_district"


@dataclass(frozen=True)
class Area:
    """Where a question belongs: the district and sub-district of the asker's community, if one was given."""

    district_id: int | None = None
    sub_district_id: int | None = None


@dataclass(frozen=True)
class Jurisdiction:
    level: str  # CITY, DISTRICT or SUB_DISTRICT
    district_id: int | None = None
    sub_district_id: int | None = None


def may_answer(jurisdiction: Jurisdiction, area: Area) -> bool:
    """The bureau answers anything in the city; a district office the questions of its district's communities;
    a sub-district office (街道) only local matters of its own communities. A question that names no
    community is a city-wide matter for the bureau."""
    if jurisdiction.level == CITY:
        return True
    if jurisdiction.level == DISTRICT:
        return area.district_id is not None and area.district_id == jurisdiction.district_id
    if jurisdiction.level == SUB_DISTRICT:
        return area.sub_district_id is not None and area.sub_district_id == jurisdiction.sub_district_id
    return False


# --- status --------------------------------------------------------------------------------------------

RECEIVED, ASSIGNED, ANSWERED, PUBLISHED, DUPLICATE = "received", "assigned", "answered", "published", "duplicate"

# What each action may start from. An answer may be revised after it was sent or published.
ALLOWED_FROM = {
    "assign": {RECEIVED, ASSIGNED},
    "answer": {RECEIVED, ASSIGNED, ANSWERED, PUBLISHED},
    "publish": {ANSWERED},
    "close_duplicate": {RECEIVED, ASSIGNED},
}

STATUS_AFTER = {"assign": ASSIGNED, "answer": ANSWERED, "publish": PUBLISHED, "close_duplicate": DUPLICATE}


def next_status(current: str, action: str) -> str | None:
    """The status after `action`, or None when the action is not allowed from `current`. Revising an answer
    that is already public keeps it published."""
    if current not in ALLOWED_FROM[action]:
        return None
    if action == "answer" and current == PUBLISHED:
        return PUBLISHED
    return STATUS_AFTER[action]


# --- personal data in what is published ----------------------------------------------------------------

# 138 1234 5678, 138-1234-5678, +86 13812345678, 8613812345678
MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
# 0373-2345678, 0373 2345678, (0373)2345678, （0373）2345678
LANDLINE = re.compile(r"(?<!\d)[(（]?0\d{2,3}[)）]?[\s-]?\d{7,8}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# 3号楼2单元301, 3栋2单元301室, 5号楼301室, 2单元502 — a room in a building identifies a household (D-01).
ROOM = re.compile(
    r"\d+\s*(?:号楼|栋|幢|号院)\s*(?:\d+\s*单元)?\s*\d{3,4}\s*(?:室|号|房)?"
    r"|\d+\s*单元\s*\d{3,4}"
    r"|\d{3,4}\s*室"
)


@dataclass(frozen=True)
class AskerFacts:
    """What identifies the asker: their name and the labels of their units (as the register writes them)."""

    name: str = ""
    phone: str = ""
    unit_labels: tuple[str, ...] = ()


def personal_data_found(text: str, asker: AskerFacts) -> list[str]:
    """The kinds of personal data found in text meant for the public library (empty when none).

    Names: the asker's full name, and their given name when it has two or more characters. Phones, ID
    numbers and rooms by pattern, whoever they belong to: an answer about one household is not for the
    library.
    """
    text = text or ""
    compact = re.sub(r"\s+", "", text)
    found = []
    name = (asker.name or "").strip()
    if name and (name in compact or (len(name) >= 3 and name[1:] in compact)):
        found.append("name")
    phone_digits = re.sub(r"\D", "", asker.phone or "")[-11:]
    if MOBILE.search(text) or LANDLINE.search(text) or (phone_digits and phone_digits in re.sub(r"\D", "", text)):
        found.append("phone")
    if ID_NUMBER.search(compact):
        found.append("id_number")
    if ROOM.search(text) or any(label and re.sub(r"\s+", "", label) in compact for label in asker.unit_labels):
        found.append("unit")
    return found


# --- helpfulness --------------------------------------------------------------------------------------

WEAK_MIN_VOTES = 3


def is_weak(helpful: int, unhelpful: int) -> bool:
    """An answer is weak once at least WEAK_MIN_VOTES readers rated it and fewer than half found it helpful
    (exactly half is not weak): 2·helpful < helpful + unhelpful."""
    total = helpful + unhelpful
    return total >= WEAK_MIN_VOTES and 2 * helpful < total
