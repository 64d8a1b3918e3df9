"""How personal identifiers are shown to anyone but their owner and the committee (DOMAIN-RULES §8).

D-01, D-04, D-06: phone and ID numbers are shown masked; arrears lists show only the masked room.
"""


def mask_phone(phone: str) -> str:
    """138****5678: keep the first three and last four digits of a mainland mobile number."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits:
        return ""
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(id_number: str) -> str:
    """4107**********123X: keep the first four and the last four characters (D-04)."""
    value = (id_number or "").strip()
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_name(name: str) -> str:
    """张** : keep the surname character only."""
    value = (name or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_room(building: str, entrance: str, room: str) -> str:
    """3号楼2单元**1室 (D-06 rule 1): the building and entrance stay, the room keeps its last digit."""
    room = (room or "").strip()
    masked = "*" * max(len(room) - 1, 1) + room[-1:] if room else ""
    return f"{building}{entrance}{masked}室"
