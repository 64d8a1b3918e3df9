"""factory_boy factories shared by every test. States are traits, never JSON fixtures."""

from decimal import Decimal

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from home.models import (
    Building,
    CommunityIndexPage,
    CommunityPage,
    District,
    Entrance,
    HomePage,
    Ownership,
    Person,
    SubDistrict,
    Unit,
)
from home.services.roles import community_roles_ensure, role_grant


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"居民{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    phone = factory.Sequence(lambda n: f"+86138{n:08d}")
    phone_verified = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}区")


class SubDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubDistrict
        django_get_or_create = ("district", "name")

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"测试{n}街道")


def home_page() -> HomePage:
    return HomePage.objects.get()


def community_index_page() -> CommunityIndexPage:
    index = CommunityIndexPage.objects.first()
    if index is None:
        index = CommunityIndexPage(title="小区", slug="xiaoqu")
        home_page().add_child(instance=index)
    return index


class CommunityPageFactory(wagtail_factories.PageFactory):
    """A live community under the community index, with its role groups created."""

    class Meta:
        model = CommunityPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"测试{n}小区")
    slug = factory.Sequence(lambda n: f"community-{n}")
    sub_district = factory.SubFactory(SubDistrictFactory)
    address = factory.Sequence(lambda n: f"测试路{n}号")
    year_built = 1995
    parent = factory.LazyFunction(community_index_page)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create:
            community_roles_ensure(obj)


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    community = factory.SubFactory(CommunityPageFactory)
    name = factory.Sequence(lambda n: f"{n + 1}号楼")


class EntranceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrance

    building = factory.SubFactory(BuildingFactory)
    name = factory.Sequence(lambda n: f"{n + 1}单元")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    entrance = factory.SubFactory(EntranceFactory)
    room = factory.Sequence(lambda n: f"{101 + n}")
    registered_area = Decimal("75.50")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"张{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class OwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ownership

    unit = factory.SubFactory(UnitFactory)
    person = factory.SubFactory(PersonFactory)
    is_designated_voter = True


def member(community: CommunityPage, role: str, **user_kwargs):
    """A user holding `role` in `community` (CommunityRole.Role value)."""
    user = UserFactory(**user_kwargs)
    role_grant(user, community, role)
    return user


def community_with_units(*, buildings=2, entrances=1, units=3, parking=0, **community_kwargs) -> CommunityPage:
    """A live community with `buildings` × `entrances` × `units` homes of 75.50 m² and `parking` spaces."""
    community = CommunityPageFactory(**community_kwargs)
    for b in range(buildings):
        building = BuildingFactory(community=community, name=f"{b + 1}号楼", sort_order=b)
        for e in range(entrances):
            entrance = EntranceFactory(building=building, name=f"{e + 1}单元", sort_order=e)
            for u in range(units):
                UnitFactory(entrance=entrance, room=f"{u + 1:02d}1")
            for p in range(parking if b == 0 and e == 0 else 0):
                UnitFactory(entrance=entrance, room=f"车位{p + 1}", kind=Unit.Kind.SPECIAL_SPACE)
    return community
