"""The Wagtail admin is the editors' tool, in Chinese, and a community's editors stay inside their community."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from home.models import CommunityPage, CommunityRole
from tests.factories import CommunityPageFactory, SubDistrictFactory, UserFactory, community_index_page, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


def test_admin_speaks_chinese(client):
    community = CommunityPageFactory()
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "控制面板" in html


def test_committee_member_edits_own_community_page_but_not_another(client):
    a, b = CommunityPageFactory(), CommunityPageFactory()
    client.force_login(member(a, Role.OWNERS_COMMITTEE))
    own = client.get(reverse("wagtailadmin_pages:edit", args=[a.pk]))
    assert own.status_code == 200
    assert a.title in own.content.decode()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[b.pk]))
    assert response.status_code in (302, 403)
    assert b.title not in response.content.decode()


def test_committee_member_cannot_publish_in_another_community(client):
    a, b = CommunityPageFactory(), CommunityPageFactory()
    client.force_login(member(a, Role.OWNERS_COMMITTEE))
    title_before = b.title
    client.post(
        reverse("wagtailadmin_pages:edit", args=[b.pk]),
        nested_form_data(
            {
                "title": "被篡改的标题",
                "slug": b.slug,
                "sub_district": b.sub_district_id,
                "address": b.address,
                "management_mode": b.management_mode,
                "renovation_status": b.renovation_status,
                "intro": rich_text(""),
                "action-publish": "publish",
            }
        ),
    )
    b.refresh_from_db()
    assert b.title == title_before


def test_creating_a_community_in_the_admin_creates_its_role_groups(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    index = community_index_page()
    sub_district = SubDistrictFactory()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["home", "communitypage", index.pk]),
        nested_form_data(
            {
                "title": "幸福里小区",
                "slug": "xingfuli",
                "sub_district": sub_district.pk,
                "address": "平原路1号",
                "year_built": 1992,
                "management_mode": "none",
                "renovation_status": "not_planned",
                "intro": rich_text("老旧小区"),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    community = CommunityPage.objects.get(slug="xingfuli")
    assert set(community.roles.values_list("role", flat=True)) == set(Role.values)
    secretary = member(community, Role.OWNERS_COMMITTEE)
    assert community.permissions_for_user(secretary).can_publish()


def test_bureau_staff_manage_districts_but_committee_members_do_not(client):
    from home.services.roles import bureau_group

    officer = UserFactory()
    bureau_group().user_set.add(officer)
    client.force_login(officer)
    assert client.get(reverse("wagtailsnippets_home_district:list")).status_code == 200
    client.force_login(member(CommunityPageFactory(), Role.OWNERS_COMMITTEE))
    assert client.get(reverse("wagtailsnippets_home_district:list")).status_code in (302, 403)
