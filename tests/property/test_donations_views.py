"""Donation pages: recording with a printable receipt, the thank-you list (names only with consent, never a
phone number), the donor's own choice."""

from decimal import Decimal

import pytest
from django.urls import reverse

from property.models import Donation
from property.services import funds as svc
from tests.property.fee_helpers import fee_community

pytestmark = pytest.mark.django_db


def give(fc, **kwargs):
    kwargs.setdefault("kind", "money")
    kwargs.setdefault("donor_name", "张大爷")
    kwargs.setdefault("received_on", svc.today())
    if kwargs["kind"] == "money":
        kwargs.setdefault("amount", Decimal("105.50"))
    return svc.donation_record(actor=fc.chair, community=fc.community, **kwargs)


def test_recording_a_donation_leads_to_its_receipt_with_the_amount_in_words(client):
    fc = fee_community(units=1)
    client.force_login(fc.staff)
    url = reverse("property:donations", args=[fc.community.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "money",
            "donor_name": "李阿姨",
            "amount": "105.50",
            "purpose": "屋面防水",
            "received_on": svc.today().isoformat(),
            "on_thanks_list": "on",
        },
    )
    donation = Donation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "property:donation_receipt", args=[donation.pk]
    )
    html = client.get(response["Location"]).content.decode()
    assert donation.receipt_no.startswith("JZ") and donation.receipt_no in html
    assert "壹佰零伍元伍角整" in html


def test_materials_and_labour_receipts_show_what_was_given(client):
    fc = fee_community(units=1)
    materials = give(
        fc, kind="materials", item="水泥", quantity=Decimal("20"), measure="袋", estimated_value=Decimal("600")
    )
    labour = give(fc, kind="labour", donor_name="志愿者队", hours=Decimal("12.5"))
    client.force_login(fc.chair)
    html = client.get(reverse("property:donation_receipt", args=[materials.pk])).content.decode()
    assert "水泥" in html and "20袋" in html and "600.00" in html
    html = client.get(reverse("property:donation_receipt", args=[labour.pk])).content.decode()
    assert "12.5" in html


def test_a_refused_donation_shows_the_reason(client):
    fc = fee_community(units=1)
    client.force_login(fc.chair)
    response = client.post(
        reverse("property:donations", args=[fc.community.pk]),
        {"kind": "labour", "donor_name": "王师傅", "received_on": svc.today().isoformat()},
    )
    assert response.status_code == 400 and "工时必须大于零" in response.content.decode()
    assert not Donation.objects.exists()


def test_the_thank_you_list_hides_opted_out_names_and_never_shows_a_phone(client):
    fc = fee_community(units=2)
    donor = fc.vc.persons[0]
    give(fc, donor_name="张大爷", amount=Decimal("500.00"))
    give(fc, donor_name="隐名捐赠人", amount=Decimal("300.00"), on_thanks_list=False, donor=donor)
    client.force_login(fc.owners[1])
    html = client.get(reverse("property:thanks", args=[fc.community.pk])).content.decode()
    assert "张大爷" in html and "500.00" in html
    assert "隐名捐赠人" not in html
    assert "热心居民" in html or "1" in html
    assert "800.00" in html  # the total counts every gift
    for user in (fc.owners[0], fc.owners[1], fc.chair):
        if user.phone:
            assert str(user.phone)[-8:] not in html


def test_the_donor_opts_out_from_the_thank_you_list_page(client):
    fc = fee_community(units=1)
    donation = give(fc, donor_name="业主0", donor=fc.vc.persons[0])
    client.force_login(fc.owners[0])
    url = reverse("property:thanks", args=[fc.community.pk])
    html = client.get(url).content.decode()
    assert "业主0" in html and reverse("property:donation_thanks_opt", args=[donation.pk]) in html
    response = client.post(reverse("property:donation_thanks_opt", args=[donation.pk]), {"next": "thanks"})
    assert response.status_code == 302 and response["Location"] == url
    donation.refresh_from_db()
    assert donation.on_thanks_list is False
    assert client.get(reverse("property:donation_receipt", args=[donation.pk])).status_code == 200


def test_another_resident_cannot_change_the_choice_or_read_the_receipt(client):
    fc = fee_community(units=2)
    donation = give(fc, donor_name="业主0", donor=fc.vc.persons[0])
    client.force_login(fc.owners[1])
    assert client.post(reverse("property:donation_thanks_opt", args=[donation.pk])).status_code == 403
    assert client.get(reverse("property:donation_receipt", args=[donation.pk])).status_code == 403
    donation.refresh_from_db()
    assert donation.on_thanks_list is True


@pytest.mark.parametrize("name", ["property:donations", "property:thanks"])
def test_donation_lists_keep_a_flat_query_count(client, django_assert_max_num_queries, name):
    fc = fee_community(units=1)
    client.force_login(fc.chair)
    url = reverse(name, args=[fc.community.pk])
    client.get(url)  # the first request of a session creates the user's profile and caches the site
    counts = []
    for size in (2, 25):
        while Donation.objects.count() < size:
            n = Donation.objects.count()
            give(fc, donor_name=f"捐赠人{n}", on_thanks_list=bool(n % 2), donor=fc.vc.persons[0] if n % 3 else None)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
