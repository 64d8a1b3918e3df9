"""Cost-sharing pages (V-12): create a plan, preview each home's area, share and amount with the exact total,
issue once, then charged against collected."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from home.models import Unit
from property.models import Charge, CostSharePlan, Fund
from property.services import funds as svc
from tests.property.fee_helpers import fee_community, pay

pytestmark = pytest.mark.django_db


def test_create_preview_and_issue(client):
    fc = fee_community(units=3)
    for unit, area in zip(fc.units, ["75.50", "60.25", "88.10"], strict=True):
        Unit.objects.filter(pk=unit.pk).update(registered_area=Decimal(area))
    client.force_login(fc.chair)
    url = reverse("property:cost_shares", args=[fc.community.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "屋面防水改造", "total": "100000.00", "key": "equal", "due_on": "2026-12-31"})
    assert response.status_code == 400 and "V-12" in response.content.decode()
    response = client.post(
        url, {"title": "屋面防水改造", "total": "100000.00", "key": "exclusive_area", "due_on": "2026-12-31"}
    )
    plan = CostSharePlan.objects.get()
    assert response["Location"] == reverse("property:cost_share_detail", args=[plan.pk])
    html = client.get(response["Location"]).content.decode()
    for text in ("75.50", "33727.94", "26915.35", "39356.71", "100000.00", "223.85"):
        assert text in html
    issue = reverse("property:cost_share_issue", args=[plan.pk])
    assert client.post(issue).status_code == 302
    assert client.post(issue, follow=True).content.decode().count("已经出账") == 1
    assert Charge.objects.filter(cost_share_plan=plan).count() == 3
    pay(fc, fc.units[0], "33727.94", fund=Fund.COST_SHARING, actor=fc.chair)
    html = client.get(url).content.decode()
    assert "100000.00" in html and "33727.94" in html


def test_the_plan_list_keeps_a_flat_query_count(client, django_assert_max_num_queries):
    fc = fee_community(units=2)
    client.force_login(fc.staff)
    url = reverse("property:cost_shares", args=[fc.community.pk])
    client.get(url)  # the first request of a session creates the user's profile and caches the site
    counts = []
    for size in (1, 8):
        while CostSharePlan.objects.count() < size:
            plan = svc.cost_share_plan_create(
                actor=fc.chair,
                community=fc.community,
                title=f"分摊{CostSharePlan.objects.count()}",
                total=Decimal("100.00"),
                key="exclusive_area",
                due_on=date(2026, 12, 31),
            )
            svc.cost_share_plan_issue(actor=fc.chair, plan=plan)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
