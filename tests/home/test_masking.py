"""How identifiers are shown to others (DOMAIN-RULES §8, D-01/D-04/D-06), home/domain/masking.py. No database."""

import pytest

from home.domain.masking import mask_id_number, mask_name, mask_phone, mask_room


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("", ""),
        (None, ""),
        ("1234567", "*******"),
        ("12345678", "123*5678"),
    ],
)
def test_phone_keeps_the_first_three_and_last_four_digits_d01(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("id_number", "masked"),
    [
        ("41070219900307001X", "4107**********001X"),
        (" 41070219900307001X ", "4107**********001X"),
        ("", ""),
        (None, ""),
        ("12345678", "********"),
    ],
)
def test_id_number_keeps_the_first_and_last_four_characters_d04(id_number, masked):
    assert mask_id_number(id_number) == masked


def test_a_masked_id_number_reveals_no_birth_date_d04():
    assert "19900307" not in mask_id_number("41070219900307001X")


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张伟", "张*"), ("欧阳娜娜", "欧***"), ("李", "李*"), ("", ""), (None, "")],
)
def test_name_keeps_the_surname_character_only(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("room", "masked"),
    [("201", "3号楼2单元**1室"), ("1", "3号楼2单元*1室"), ("", "3号楼2单元室")],
)
def test_arrears_lists_show_the_room_with_only_its_last_digit_d06(room, masked):
    assert mask_room("3号楼", "2单元", room) == masked
