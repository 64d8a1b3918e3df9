"""The Wagtail admin's BodyPage form refuses what body_create refuses (C-01, C-02, C-15)."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from governance.models import BodyPage
from tests.factories import CommunityPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def add_body(client, community, **fields):
    data = {
        "title": "业主委员会",
        "slug": fields.pop("slug", "yeweihui"),
        "kind": "owners_committee",
        "term_start": "2026-03-01",
        "term_end": "2031-03-01",
        "seat_count": 7,
        "intro": rich_text(""),
        "action-publish": "publish",
    } | fields
    return client.post(
        reverse("wagtailadmin_pages:add", args=["governance", "bodypage", community.pk]), nested_form_data(data)
    )


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_admin_creates_a_valid_owners_committee(admin_client):
    community = CommunityPageFactory()
    assert add_body(admin_client, community).status_code == 302
    assert BodyPage.objects.child_of(community).get().seat_count == 7


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"seat_count": 12}, "seat_count"),
        ({"seat_count": 6}, "seat_count"),
        ({"term_end": "2031-03-02"}, "term_end"),
    ],
)
def test_admin_refuses_c01_c02_violations(admin_client, fields, field_in_error):
    community = CommunityPageFactory()
    response = add_body(admin_client, community, **fields)
    assert response.status_code == 200
    assert field_in_error in response.context["form"].errors
    assert not BodyPage.objects.child_of(community).exists()


def test_admin_refuses_a_second_committee_or_substitute_c15(admin_client):
    community = CommunityPageFactory()
    add_body(admin_client, community)
    response = add_body(admin_client, community, kind="property_mgmt_committee", slug="wuguanhui")
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert BodyPage.objects.child_of(community).count() == 1
