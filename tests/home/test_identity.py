"""Mobile numbers and resident ID numbers as people type them (home/domain/identity.py). No database."""

from datetime import date

import pytest

from home.domain.identity import (
    ID_BIRTH_DATE,
    ID_CHARACTERS,
    ID_CHECKSUM,
    ID_EMPTY,
    ID_LENGTH,
    ID_REGION,
    id_number_birth_date,
    id_number_check_char,
    id_number_problem,
    is_masked_id_number,
    normalise_id_number,
    normalise_mobile,
)

TODAY = date(2026, 11, 27)


def valid_id(first17: str) -> str:
    return first17 + id_number_check_char(first17)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("138-1234-5678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("+8613812345678", "+8613812345678"),
        ("008613812345678", "+8613812345678"),
        ("8613812345678", "+8613812345678"),
        ("(+86) 199 0000 1111", "+8619900001111"),
        ("１３８１２３４５６７８", "+8613812345678"),  # full-width digits from a Chinese input method
        ("  15937300000 ", "+8615937300000"),
    ],
)
def test_mainland_mobile_numbers_become_e164(typed, expected):
    assert normalise_mobile(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "12812345678",  # no mobile range begins with 12
        "10086",
        "0373-1234567",  # a Xinxiang landline
        "+85291234567",  # Hong Kong
        "+1 415 555 0100",
        "1381234567a",
        "86 1381234567",
    ],
)
def test_what_is_not_a_mainland_mobile_number_is_reported_invalid(typed):
    assert normalise_mobile(typed) is None


def test_check_character_follows_gb11643_including_x():
    # The standard's worked example, and a number whose check character is X.
    assert id_number_check_char("11010519491231002") == "X"
    assert id_number_check_char("41070219900307001") == "1"  # 209 mod 11 = 0
    assert id_number_problem("11010519491231002X", today=TODAY) is None
    assert id_number_problem("11010519491231002x", today=TODAY) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (valid_id("41070219900307001"), None),
        (valid_id("41070220000229002"), None),  # 29 February of a leap year
        (" " + valid_id("41070219900307001") + " ", None),
        ("", ID_EMPTY),
        ("   ", ID_EMPTY),
        ("410702199003070", ID_LENGTH),  # the old 15-digit numbers are no longer valid cards
        (valid_id("41070219900307001") + "1", ID_LENGTH),
        ("4107021990030700Y1", ID_CHARACTERS),
        ("X10702199003070011", ID_CHARACTERS),
        (valid_id("00070219900307001"), ID_REGION),
        (valid_id("99070219900307001"), ID_REGION),
        (valid_id("41070219901307001"), ID_BIRTH_DATE),  # month 13
        (valid_id("41070219900230001"), ID_BIRTH_DATE),  # 30 February
        (valid_id("41070219010229001"), ID_BIRTH_DATE),  # 1901 is not a leap year
        (valid_id("41070218991231001"), ID_BIRTH_DATE),  # before 1900
        (valid_id("41070220261128001"), ID_BIRTH_DATE),  # tomorrow
        (valid_id("41070220261127001"), None),  # born today
    ],
)
def test_id_number_problems_are_named(value, problem):
    assert id_number_problem(value, today=TODAY) == problem


@pytest.mark.parametrize("position", [2, 5, 14, 15, 16])
def test_one_mistyped_digit_breaks_the_checksum(position):
    good = valid_id("41070219900307001")
    wrong = str((int(good[position]) + 1) % 10)
    assert id_number_problem(good[:position] + wrong + good[position + 1 :], today=TODAY) == ID_CHECKSUM


def test_two_swapped_digits_break_the_checksum():
    good = valid_id("41070219900307012")
    assert id_number_problem(good[:15] + good[16] + good[15] + good[17], today=TODAY) == ID_CHECKSUM


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
    ],
)
def test_id_numbers_are_normalised_before_hashing(typed, stored):
    assert normalise_id_number(typed) == stored


def test_birth_date_is_read_from_characters_7_to_14():
    assert id_number_birth_date(valid_id("41070219900307001")) == date(1990, 3, 7)
    assert id_number_birth_date(valid_id("41070219900230001")) is None


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("4107**********001X", True),
        ("4107**********0011", True),
        ("4107 ********** 0011", True),
        ("41070219900307001X", False),
        ("4107*****0011", False),  # too short to be a masked ID number
        ("****************01", False),
        ("", False),
    ],
)
def test_masked_id_numbers_from_an_export_are_recognised(value, masked):
    assert is_masked_id_number(value) is masked
