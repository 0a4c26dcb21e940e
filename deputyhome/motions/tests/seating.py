"""The city session's two delegations, seated through the services, for the tests that need them."""

from __future__ import annotations

from deputyhome.motions import services


def seat_delegations(cg) -> list:
    """A's and B's delegations at the city session, six members each (the first its head)."""
    city = cg.personas["city"]
    made = []
    for name, region, deputies in (
        ("六角亭街道代表团", cg.city.township_a, cg.city.deputies_a),
        ("白杨坪镇代表团", cg.city.township_b, cg.city.deputies_b),
    ):
        d = services.delegation_create(data={"session": cg.session, "name": name, "region": region}, actor=city)
        services.delegation_members_add(
            delegation=d, deputies=deputies, start_date=cg.session.start_date, head=deputies[0], actor=city
        )
        made.append(d)
    return made
