"""The policy Q&A rules as tables: who may answer which question, how a question moves, what personal data keeps
an answer out of the public library (D-01, D-05), and when an answer counts as weak. No database."""

import pytest

from governance.domain.policy import (
    ANSWERED,
    ASSIGNED,
    DUPLICATE,
    PUBLISHED,
    RECEIVED,
    Area,
    AskerFacts,
    Jurisdiction,
    is_weak,
    may_answer,
    next_status,
    personal_data_found,
)

CITY = Jurisdiction("city")
DISTRICT_1 = Jurisdiction("district", district_id=1)
SUB_11 = Jurisdiction("sub_district", sub_district_id=11)

IN_11 = Area(district_id=1, sub_district_id=11)  # district 1, sub-district 11
IN_12 = Area(district_id=1, sub_district_id=12)  # same district, another sub-district
IN_21 = Area(district_id=2, sub_district_id=21)  # another district
NO_COMMUNITY = Area()


@pytest.mark.parametrize(
    ("jurisdiction", "area", "expected"),
    [
        (CITY, IN_11, True),
        (CITY, IN_21, True),
        (CITY, NO_COMMUNITY, True),
        (DISTRICT_1, IN_11, True),
        (DISTRICT_1, IN_12, True),
        (DISTRICT_1, IN_21, False),
        (DISTRICT_1, NO_COMMUNITY, False),
        (SUB_11, IN_11, True),
        (SUB_11, IN_12, False),
        (SUB_11, IN_21, False),
        (SUB_11, NO_COMMUNITY, False),
        (Jurisdiction("district", district_id=None), NO_COMMUNITY, False),
        (Jurisdiction("sub_district", sub_district_id=None), NO_COMMUNITY, False),
        (Jurisdiction("village"), IN_11, False),
    ],
)
def test_may_answer_by_jurisdiction(jurisdiction, area, expected):
    assert may_answer(jurisdiction, area) is expected


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [
        (RECEIVED, "assign", ASSIGNED),
        (ASSIGNED, "assign", ASSIGNED),
        (ANSWERED, "assign", None),
        (PUBLISHED, "assign", None),
        (DUPLICATE, "assign", None),
        (RECEIVED, "answer", ANSWERED),
        (ASSIGNED, "answer", ANSWERED),
        (ANSWERED, "answer", ANSWERED),
        (PUBLISHED, "answer", PUBLISHED),
        (DUPLICATE, "answer", None),
        (RECEIVED, "publish", None),
        (ASSIGNED, "publish", None),
        (ANSWERED, "publish", PUBLISHED),
        (PUBLISHED, "publish", None),
        (DUPLICATE, "publish", None),
        (RECEIVED, "close_duplicate", DUPLICATE),
        (ASSIGNED, "close_duplicate", DUPLICATE),
        (ANSWERED, "close_duplicate", None),
        (PUBLISHED, "close_duplicate", None),
        (DUPLICATE, "close_duplicate", None),
    ],
)
def test_next_status_table(current, action, expected):
    assert next_status(current, action) == expected


ASKER = AskerFacts(name="孙丽华", phone="+8613912345678", unit_labels=("3号楼2单元301",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("孙丽华问：老旧小区改造谁出钱？", ["name"]),
        ("丽华女士您好，改造资金由政府、居民和社会共同分担。", ["name"]),
        ("孙 丽 华 的问题", ["name"]),
        ("请拨打 139 1234 5678 联系", ["phone"]),
        ("电话139-1234-5678", ["phone"]),
        ("手机13812345678", ["phone"]),
        ("座机 0373-2345678 工作日接听", ["phone"]),
        ("座机 0373 2345678 工作日接听", ["phone"]),
        ("座机（0373）2345678", ["phone"]),
        ("座机(0373)2345678", ["phone"]),
        ("请联系+8613812345678", ["phone"]),
        ("请联系 +86 138 1234 5678", ["phone"]),
        ("请联系8613812345678", ["phone"]),
        ("联系电话 139.1234.5678", ["phone"]),  # the asker's own number, however written
        ("身份证 41070219800101123X", ["id_number"]),
        ("身份证41070219800101123x", ["id_number"]),
        ("身份证 410702198001011234", ["id_number"]),
        ("我住3号楼2单元301", ["unit"]),
        ("5栋301室漏水", ["unit"]),
        ("2单元502的邻居", ["unit"]),
        ("502室", ["unit"]),
        ("孙丽华，3号楼2单元301，电话13912345678", ["name", "phone", "unit"]),
        ("老旧小区改造后由谁来管理？规模较小的小区可以连片打包，实行社区保障性管理。", []),
        ("依据国办发〔2020〕23号，2000年底前建成的小区纳入改造范围，奖补30%。", []),
        ("", []),
    ],
)
def test_personal_data_found(text, expected):
    assert personal_data_found(text, ASKER) == expected


def test_a_one_character_given_name_alone_is_not_a_name():
    """孙丽's given name 丽 is one character: too common to refuse on its own; the full name is refused."""
    asker = AskerFacts(name="孙丽")
    assert personal_data_found("美丽小区改造", asker) == []
    assert personal_data_found("孙丽的问题", asker) == ["name"]


def test_the_askers_own_unit_label_is_refused_even_when_no_pattern_matches():
    asker = AskerFacts(unit_labels=("东院甲3",))
    assert personal_data_found("东院甲3的外墙", asker) == ["unit"]


def test_without_asker_facts_only_patterns_count():
    assert personal_data_found("张三家住5栋301室", AskerFacts()) == ["unit"]


@pytest.mark.parametrize(
    ("helpful", "unhelpful", "weak"),
    [
        (0, 0, False),
        (0, 2, False),  # two votes are not enough
        (1, 1, False),
        (1, 2, True),  # 1 of 3 helpful
        (0, 3, True),
        (2, 2, False),  # exactly half is not weak
        (3, 3, False),
        (2, 1, False),
        (2, 3, True),
        (10, 11, True),
    ],
)
def test_is_weak_boundaries(helpful, unhelpful, weak):
    assert is_weak(helpful, unhelpful) is weak
