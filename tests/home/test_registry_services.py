"""Writers of the unit register (home/services/registry.py): permission, validation, idempotence, audit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from home.domain.identity import id_number_check_char
from home.fields import identifier_hash
from home.models import AuditEntry, Building, CommunityRole, Entrance, Ownership, Person, Unit
from home.services.registry import (
    building_ensure,
    entrance_ensure,
    ownership_add,
    person_ensure,
    unit_ensure,
)
from tests.factories import (
    BuildingFactory,
    CommunityPageFactory,
    EntranceFactory,
    PersonFactory,
    UnitFactory,
    member,
)

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


def valid_id(first17="41070219800101001"):
    return first17 + id_number_check_char(first17)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def community():
    return CommunityPageFactory()


@pytest.fixture
def entrance(community):
    return EntranceFactory(building=BuildingFactory(community=community, name="1号楼"), name="1单元")


# --- Permission ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF])
def test_committee_and_community_staff_may_write_their_own_register(community, role):
    user = member(community, role)
    building = building_ensure(actor=user, community=community, name="5号楼")
    assert building.community == community
    assert AuditEntry.objects.get(action="building.create").actor == user


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OWNER, Role.PROPERTY_STAFF, Role.PARTY_BRANCH])
def test_other_roles_may_not_write_the_register(community, role):
    with pytest.raises(PermissionDenied):
        building_ensure(actor=member(community, role), community=community, name="5号楼")
    assert not Building.objects.filter(name="5号楼").exists()


def test_a_committee_member_of_another_community_may_not_write_this_register(community, entrance):
    outsider = member(CommunityPageFactory(), Role.OWNERS_COMMITTEE)
    with pytest.raises(PermissionDenied):
        building_ensure(actor=outsider, community=community, name="5号楼")
    with pytest.raises(PermissionDenied):
        entrance_ensure(actor=outsider, building=entrance.building, name="9单元")
    with pytest.raises(PermissionDenied):
        unit_ensure(actor=outsider, entrance=entrance, room="909", registered_area="80")
    with pytest.raises(PermissionDenied):
        ownership_add(actor=outsider, unit=UnitFactory(entrance=entrance), person=PersonFactory())
    assert not AuditEntry.objects.exists()


def test_people_may_be_written_only_by_someone_who_manages_a_register(community):
    with pytest.raises(PermissionDenied):
        person_ensure(actor=member(community, Role.RESIDENT), full_name="王芳", phone="13912345678")
    person = person_ensure(actor=member(community, Role.OWNERS_COMMITTEE), full_name="王芳", phone="13912345678")
    assert person.phone == "+8613912345678"


# --- Buildings, entrances, units ----------------------------------------------------------------------------


def test_ensuring_a_building_twice_creates_it_once_and_audits_once(community):
    first = building_ensure(actor=None, community=community, name="3号楼", floors=6, sort_order=3)
    second = building_ensure(actor=None, community=community, name="3号楼", floors=6, sort_order=3)
    assert first.pk == second.pk
    assert Building.objects.filter(community=community).count() == 1
    assert AuditEntry.objects.filter(action="building.create").count() == 1
    assert not AuditEntry.objects.filter(action="building.update").exists()


def test_a_changed_floor_count_is_updated_and_audited(community):
    building_ensure(actor=None, community=community, name="3号楼", floors=6)
    building = building_ensure(actor=None, community=community, name="3号楼", floors=7)
    building.refresh_from_db()
    assert building.floors == 7
    entry = AuditEntry.objects.get(action="building.update")
    assert (entry.before, entry.after) == ({"floors": 6}, {"floors": 7})


def test_an_empty_building_name_is_refused_in_chinese(community):
    with pytest.raises(ValidationError) as error:
        building_ensure(actor=None, community=community, name="  ")
    assert "请填写楼栋名称" in error.value.messages[0]


def test_entrances_are_ensured_once(community, entrance):
    again = entrance_ensure(actor=None, building=entrance.building, name="1单元")
    new = entrance_ensure(actor=None, building=entrance.building, name="2单元", sort_order=2)
    assert again.pk == entrance.pk
    assert Entrance.objects.filter(building=entrance.building).count() == 2
    assert new.sort_order == 2


def test_a_unit_keeps_all_three_areas_and_derives_the_effective_one_v16(entrance):
    unit = unit_ensure(actor=None, entrance=entrance, room="201", surveyed_area="88.1", contract_area=Decimal("90"))
    unit.refresh_from_db()
    assert (unit.registered_area, unit.surveyed_area, unit.contract_area) == (None, Decimal("88.10"), Decimal("90"))
    assert (unit.effective_area, unit.area_source) == (Decimal("88.10"), "surveyed")


def test_ensuring_a_unit_again_with_new_areas_updates_it_and_audits_before_and_after(entrance):
    unit_ensure(actor=None, entrance=entrance, room="201", contract_area="90")
    unit = unit_ensure(actor=None, entrance=entrance, room="201", registered_area="88.5", contract_area="90")
    assert Unit.objects.filter(entrance=entrance).count() == 1
    assert unit.effective_area == Decimal("88.50")
    entry = AuditEntry.objects.get(action="unit.update")
    assert entry.before == {"registered_area": None}
    assert entry.after == {"registered_area": "88.50"}
    unit_ensure(actor=None, entrance=entrance, room="201", registered_area="88.50", contract_area="90.00")
    assert AuditEntry.objects.filter(action="unit.update").count() == 1


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        ({}, "至少需要一种面积"),
        ({"registered_area": "0"}, "必须是以平方米为单位的正数"),
        ({"registered_area": "-5"}, "必须是以平方米为单位的正数"),
        ({"surveyed_area": "75.123"}, "必须是以平方米为单位的正数"),
        ({"contract_area": "七十"}, "必须是以平方米为单位的正数"),
    ],
)
def test_a_unit_without_a_positive_area_is_refused(entrance, areas, message):
    with pytest.raises(ValidationError) as error:
        unit_ensure(actor=None, entrance=entrance, room="201", **areas)
    assert message in error.value.messages[0]
    assert not Unit.objects.filter(room="201").exists()


def test_a_parking_space_is_a_special_space_unit_v20(entrance):
    unit = unit_ensure(
        actor=None, entrance=entrance, room="车位1", kind=Unit.Kind.SPECIAL_SPACE, registered_area="12.5"
    )
    assert unit.kind == "special_space"
    with pytest.raises(ValidationError):
        unit_ensure(actor=None, entrance=entrance, room="车位2", kind="garage", registered_area="12.5")


# --- People -------------------------------------------------------------------------------------------------


def test_a_person_is_found_again_by_id_number_v18():
    id_number = valid_id()
    first = person_ensure(actor=None, full_name="李娜", id_number=id_number)
    second = person_ensure(actor=None, full_name="李娜", id_number=id_number.lower(), phone="13700001111")
    assert first.pk == second.pk
    second.refresh_from_db()
    assert second.phone == "+8613700001111"  # a blank phone is filled in
    assert second.id_number == id_number
    assert second.id_number_hash == identifier_hash(id_number)
    assert Person.objects.count() == 1


def test_the_id_number_is_stored_encrypted_and_audited_masked():
    id_number = valid_id()
    person = person_ensure(actor=None, full_name="李娜", id_number=id_number, phone="13700001111")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM home_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert id_number not in stored
    entry = AuditEntry.objects.get(action="person.create")
    assert id_number not in str(entry.after) and "13700001111" not in str(entry.after)
    assert entry.after["id_number"] == id_number[:4] + "*" * 10 + id_number[-4:]
    assert entry.after["full_name"] == "李*"


def test_without_id_number_a_person_is_found_by_name_and_phone():
    first = person_ensure(actor=None, full_name="赵强", phone="138 0000 2222")
    second = person_ensure(actor=None, full_name="赵强", phone="+8613800002222")
    namesake = person_ensure(actor=None, full_name="赵强", phone="13800003333")
    assert first.pk == second.pk != namesake.pk


def test_a_name_alone_identifies_nobody_so_each_call_creates_a_person():
    assert person_ensure(actor=None, full_name="刘洋").pk != person_ensure(actor=None, full_name="刘洋").pk


def test_the_developer_is_found_again_by_its_name():
    first = person_ensure(actor=None, full_name="新乡市某房地产开发有限公司", is_developer=True)
    second = person_ensure(actor=None, full_name="新乡市某房地产开发有限公司", is_developer=True)
    assert first.pk == second.pk
    assert first.masked_name == "新乡市某房地产开发有限公司"  # a legal person's name is not personal data


def test_an_id_number_registered_under_another_name_is_refused():
    person_ensure(actor=None, full_name="李娜", id_number=valid_id())
    with pytest.raises(ValidationError) as error:
        person_ensure(actor=None, full_name="李小娜", id_number=valid_id())
    assert "另一个姓名下（李*）" in error.value.messages[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"phone": "0373-1234567"}, "不是有效的手机号"),
        ({"id_number": "41070219800101001"}, "应为 18 位"),
        ({"id_number": "41070219800101001" + ("0" if valid_id()[-1] != "0" else "1")}, "校验位不符"),
        ({"id_number": valid_id("41070219801301001")}, "出生日期"),
    ],
)
def test_invalid_identifiers_are_refused_in_chinese(kwargs, message):
    with pytest.raises(ValidationError) as error:
        person_ensure(actor=None, full_name="李娜", **kwargs)
    assert message in error.value.messages[0]
    assert not Person.objects.exists()


def test_an_account_is_linked_once(community):
    user = member(community, Role.RESIDENT)
    person = person_ensure(actor=None, full_name="李娜", phone="13700001111", user=user)
    assert person_ensure(actor=None, full_name="李娜", phone="13700001111", user=user).pk == person.pk
    with pytest.raises(ValidationError):
        person_ensure(actor=None, full_name="王伟", phone="13700002222", user=user)
    other = member(community, Role.RESIDENT)
    with pytest.raises(ValidationError):
        person_ensure(actor=None, full_name="李娜", phone="13700001111", user=other)


# --- Ownerships ---------------------------------------------------------------------------------------------


def test_co_owners_name_only_one_designated_voter_v19(entrance):
    unit = UnitFactory(entrance=entrance, room="301")
    husband, wife = PersonFactory(full_name="张伟"), PersonFactory(full_name="王芳")
    ownership_add(actor=None, unit=unit, person=husband, is_designated_voter=True)
    with pytest.raises(ValidationError) as error:
        ownership_add(actor=None, unit=unit, person=wife, is_designated_voter=True)
    assert "已有指定投票人（张*）" in error.value.messages[0]
    assert "1号楼1单元301室" in error.value.messages[0]
    ownership_add(actor=None, unit=unit, person=wife, is_designated_voter=False)
    assert Ownership.objects.filter(unit=unit).count() == 2
    assert Ownership.objects.filter(unit=unit, is_designated_voter=True).get().person == husband


def test_adding_the_same_ownership_twice_changes_nothing_the_second_time(entrance):
    unit, person = UnitFactory(entrance=entrance), PersonFactory()
    first = ownership_add(actor=None, unit=unit, person=person, is_designated_voter=True)
    second = ownership_add(actor=None, unit=unit, person=person, is_designated_voter=True)
    assert first.pk == second.pk
    assert AuditEntry.objects.filter(action__startswith="ownership.").count() == 1


def test_an_ownership_status_change_is_recorded_v21(entrance):
    unit, person = UnitFactory(entrance=entrance), PersonFactory()
    ownership_add(actor=None, unit=unit, person=person, owner_status="possession_pending_registration")
    ownership = ownership_add(actor=None, unit=unit, person=person, owner_status="registered")
    assert ownership.owner_status == "registered"
    entry = AuditEntry.objects.get(action="ownership.update")
    assert entry.before == {"owner_status": "possession_pending_registration"}
    with pytest.raises(ValidationError):
        ownership_add(actor=None, unit=unit, person=person, owner_status="tenant")


def test_one_person_may_own_several_units_v18(entrance):
    person = PersonFactory()
    for room in ("101", "102"):
        ownership_add(
            actor=None, unit=UnitFactory(entrance=entrance, room=room), person=person, is_designated_voter=True
        )
    assert person.ownerships.count() == 2


def test_the_audit_entry_names_the_community_and_masks_the_owner(community, entrance):
    secretary = member(community, Role.OWNERS_COMMITTEE)
    unit = UnitFactory(entrance=entrance, room="501")
    ownership_add(actor=secretary, unit=unit, person=PersonFactory(full_name="陈静"), is_designated_voter=True)
    entry = AuditEntry.objects.get(action="ownership.create")
    assert (entry.community, entry.actor) == (community, secretary)
    assert entry.after["person"] == "陈*"
