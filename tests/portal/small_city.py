"""The demo city's registry with smaller layouts, for the tests of one demo part: the seed_demo command's own steps
(site pages, districts, communities, accounts, claims), then the caller seeds the parts it rests on."""

import io
from dataclasses import replace

from portal.management import demo_city
from portal.management.commands.seed_demo import Command


def seed_small_city(monkeypatch, layouts: dict, *, claims: bool = True) -> None:
    """``layouts``: {community key: _Layout}. With ``claims`` the demo accounts claim their homes (all but the
    newcomer's, whose building a small city lacks); without, no account claims a home."""
    rows = [(*row[:11], layouts[row[0]], row[12]) for row in demo_city.COMMUNITIES]
    monkeypatch.setattr(demo_city, "COMMUNITIES", tuple(rows))
    city = demo_city.build_city()
    keep = (lambda a: a.username != "newcomer") if claims else (lambda a: False)
    city = replace(city, accounts=tuple(a if keep(a) else replace(a, claim=None) for a in city.accounts))
    command = Command(stdout=io.StringIO())
    index = command._site_pages(city)
    sub_districts = command._districts(city)
    pages = {spec.key: command._community(spec, index, sub_districts) for spec in city.communities}
    users = {spec.username: command._account(spec, pages) for spec in city.accounts}
    if claims:
        command._claims(city, pages, users)
