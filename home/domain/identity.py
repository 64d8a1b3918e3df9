"""Personal identifiers as people type them: mainland mobile numbers and resident ID numbers.

Pure functions (no Django). Used by the registry services, the register import and the accounts helper.
DOMAIN-RULES D-01/D-04: these identify a person; they are stored encrypted (ID) and shown masked elsewhere.
"""

import re
import unicodedata
from datetime import date

# Mainland mobile numbers: 11 digits, 1 then 3–9 (MIIT numbering plan).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Separators people type between digit groups: spaces, hyphens, dots, brackets.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()（）]")

# GB 11643-1999: 17 digits, then a check character computed from them (0–9 or X).
_ID_BODY = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
# Province-level codes (GB/T 2260) that begin a resident ID number; 71/81/82/83 are Taiwan, Hong Kong
# and Macao residents' numbers (residence permits).
_PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
_EARLIEST_BIRTH_YEAR = 1900

# Why an ID number is refused; the service maps each code to a Chinese message.
ID_EMPTY = "empty"
ID_LENGTH = "length"
ID_CHARACTERS = "characters"
ID_REGION = "region"
ID_BIRTH_DATE = "birth_date"
ID_CHECKSUM = "checksum"


def _fold(value: str) -> str:
    """Full-width digits and letters (１３８, Ｘ) become ASCII; Chinese input methods produce them."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalise_mobile(value: str) -> str | None:
    """E.164 form "+8613812345678" of a mainland mobile number, or None when it is not one.

    Accepts "13812345678", "138 1234 5678", "138-1234-5678", "+86 138…", "0086138…", "86138…".
    An empty value is not a number either: callers decide whether the field is optional.
    """
    digits = _PHONE_SEPARATORS.sub("", _fold(value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MOBILE.match(digits):
        return None
    return f"+86{digits}"


def normalise_id_number(value: str) -> str:
    """Spaces removed, full-width folded, a trailing x upper-cased: the form that is stored and hashed."""
    return re.sub(r"\s", "", _fold(value)).upper()


def id_number_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def id_number_birth_date(value: str) -> date | None:
    """The birth date encoded in characters 7–14, or None when it is not a calendar date."""
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_number_problem(value: str, *, today: date) -> str | None:
    """Why an 18-character resident ID number is not valid (one of the ID_* codes), or None if it is.

    Checks, in order: length, characters (17 digits then a digit or X), a known province code, a plausible
    birth date (a real date, not before 1900, not after `today`) and the GB 11643 checksum.
    The 15-digit numbers issued before 1999 are no longer valid identity cards and are refused.
    """
    value = normalise_id_number(value)
    if not value:
        return ID_EMPTY
    if len(value) != 18:
        return ID_LENGTH
    if not _ID_BODY.match(value):
        return ID_CHARACTERS
    if int(value[:2]) not in _PROVINCE_CODES:
        return ID_REGION
    born = id_number_birth_date(value)
    if born is None or born.year < _EARLIEST_BIRTH_YEAR or born > today:
        return ID_BIRTH_DATE
    if id_number_check_char(value[:17]) != value[17]:
        return ID_CHECKSUM
    return None


def is_masked_id_number(value: str) -> bool:
    """True for an ID number as the register export shows it (4107**********123X, see masking.py).

    The import treats such a value as "ID not given" rather than as a wrong number, so that an exported
    sheet can be corrected and imported again.
    """
    value = normalise_id_number(value)
    return len(value) == 18 and "*" in value and re.fullmatch(r"[\dX]{4}\*+[\dX]{4}", value) is not None
