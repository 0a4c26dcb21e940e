"""Builders for tests: a small city shaped like the real one, and one login per persona."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from deputyhome.deputies.validators import id_check_digit


def make_id_number(serial: int, birth: datetime.date = datetime.date(1975, 3, 15), area: str = "422801") -> str:
    first17 = f"{area}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_digit(first17)


@dataclass
class SmallCity:
    city: object
    township_a: object  # 六角亭街道
    township_b: object  # 白杨坪镇
    village_a: object
    village_b: object
    home_a: object
    home_b: object
    station_a: object
    station_b: object
    group_a: object
    group_b: object
    unit_a: object
    unit_b: object
    city_congress: object
    township_congress_b: object
    deputies_a: list = field(default_factory=list)
    deputies_b: list = field(default_factory=list)


def build_small_city(per_group: int = 4) -> SmallCity:
    from deputyhome.deputies.choices import Gender, GroupRole
    from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
    from deputyhome.organisation.choices import CongressLevel, RegionKind, StationKind, UnitKind
    from deputyhome.organisation.models import Congress, DeputyGroup, HandlingUnit, Region, Station

    start = datetime.date(2021, 10, 1)
    city = Region.objects.create(code="422801", name="恩施市", kind=RegionKind.CITY)
    ta = Region.objects.create(code="422801002", name="六角亭街道", kind=RegionKind.STREET, parent=city)
    tb = Region.objects.create(code="422801101", name="白杨坪镇", kind=RegionKind.TOWN, parent=city)
    va = Region.objects.create(code="422801002001", name="西门社区", kind=RegionKind.COMMUNITY, parent=ta)
    vb = Region.objects.create(code="422801101001", name="洞下槽村", kind=RegionKind.VILLAGE, parent=tb)
    home_a = Station.objects.create(kind=StationKind.HOME, name="六角亭街道人大代表之家", region=ta)
    home_b = Station.objects.create(kind=StationKind.HOME, name="白杨坪镇人大代表之家", region=tb)
    st_a = Station.objects.create(kind=StationKind.LIAISON, name="西门社区人大代表联络站", region=va)
    st_b = Station.objects.create(kind=StationKind.LIAISON, name="洞下槽村人大代表联络站", region=vb)
    ga = DeputyGroup.objects.create(name="六角亭街道第一代表小组", station=st_a)
    gb = DeputyGroup.objects.create(name="白杨坪镇第一代表小组", station=st_b)
    ua = HandlingUnit.objects.create(name="市住房和城乡建设局", kind=UnitKind.GOVERNMENT)
    ub = HandlingUnit.objects.create(name="市人民法院", kind=UnitKind.COURT)
    cc = Congress.objects.create(
        level=CongressLevel.CITY, term=11, name="恩施市第十一届人民代表大会", region=city, start_date=start
    )
    tcb = Congress.objects.create(
        level=CongressLevel.TOWNSHIP, term=19, name="白杨坪镇第十九届人民代表大会", region=tb, start_date=start
    )
    sc = SmallCity(city, ta, tb, va, vb, home_a, home_b, st_a, st_b, ga, gb, ua, ub, cc, tcb)
    roles = [GroupRole.LEADER, GroupRole.VICE_LEADER, GroupRole.LIAISON] + [GroupRole.MEMBER] * 20
    serial = 0
    for township, group, bucket, surname in ((ta, ga, sc.deputies_a, "张"), (tb, gb, sc.deputies_b, "李")):
        for i in range(per_group):
            serial += 1
            d = Deputy.objects.create(
                name=f"{surname}{'一二三四五六七八九十'[i % 10]}{serial}",
                gender=Gender.MALE if i % 2 else Gender.FEMALE,
                ethnicity="土家族",
                birth_date=datetime.date(1975, 3, 1),
                party="中共党员",
                education="大学",
                employer_title="某单位职员",
                phone=f"1380000{serial:04d}",
                id_number=make_id_number(serial),
                region=township,
            )
            Mandate.objects.create(
                deputy=d, congress=cc, constituency=f"{township.name}第{i + 1}选区", start_date=start
            )
            if township == tb and i == 0:
                Mandate.objects.create(deputy=d, congress=tcb, start_date=start)
            GroupMembership.objects.create(deputy=d, group=group, role=roles[i], start_date=start)
            bucket.append(d)
    return sc


def make_personas(sc: SmallCity, password: str) -> dict:
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    def mk(username: str, role: str, **anchor) -> User:
        user = User(username=username, role=role, display_name=username, **anchor)
        user.set_password(password)
        user.save()
        return user

    return {
        "city": mk("city", Role.CITY_OFFICER, region=sc.city),
        "township": mk("township", Role.TOWNSHIP_OFFICER, region=sc.township_a),
        "township_b": mk("township_b", Role.TOWNSHIP_OFFICER, region=sc.township_b),
        "group": mk("group", Role.GROUP_LEADER, group=sc.group_a, deputy=sc.deputies_a[0]),
        "liaison": mk("liaison", Role.LIAISON_OFFICER, group=sc.group_a),
        "deputy": mk("deputy", Role.DEPUTY, deputy=sc.deputies_a[3]),
        "unit": mk("unit", Role.UNIT_CLERK, unit=sc.unit_a),
        "supervisor": mk("supervisor", Role.SUPERVISOR),
        "leader": mk("leader", Role.LEADER),
        "sysadmin": mk("sysadmin", Role.SYSTEM_ADMIN),
        "secadmin": mk("secadmin", Role.SECURITY_ADMIN),
        "auditor": mk("auditor", Role.AUDIT_ADMIN),
    }


def congress_session(sc: SmallCity, year: int = 2026):
    """The sixth session of the small city's congress, 10-13 January of `year`."""
    from deputyhome.organisation.models import Session

    return Session.objects.create(
        congress=sc.city_congress,
        number=6,
        name="恩施市第十一届人民代表大会第六次会议",
        start_date=datetime.date(year, 1, 10),
        end_date=datetime.date(year, 1, 13),
    )


def suggestion_people(personas: dict, sc: SmallCity, password: str) -> dict:
    """`personas` plus a clerk of unit B (the court) and a cosigning deputy with a login."""
    from deputyhome.accounts.choices import Role
    from deputyhome.accounts.models import User

    def mk(username: str, **fields) -> User:
        user = User(username=username, **fields)
        user.set_password(password)
        user.save()
        return user

    return {
        **personas,
        "unit_b": mk("unit_b", role=Role.UNIT_CLERK, unit=sc.unit_b),
        "cosigner": mk("cosigner", role=Role.DEPUTY, deputy=sc.deputies_a[2]),
    }


def suggestion_categories() -> tuple[dict, dict]:
    """The seeded suggestion categories by name and result classes by code."""
    from deputyhome.suggestions.models import Category, ResultClass

    return {c.name: c for c in Category.objects.all()}, {r.code: r for r in ResultClass.objects.all()}


def browser_log_in(page, base: str, username: str, password: str) -> None:
    """Log in through the real login form in a Playwright page and wait for the home page."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def browser_menu(page, menu: str, link: str) -> None:
    """On a phone: open 菜单, then the drop-down `menu`, and follow its entry `link`."""
    page.click("label.navbutton")
    page.locator("nav.mainnav summary", has_text=menu).click()
    page.locator("nav.mainnav").get_by_role("link", name=link, exact=True).click()


HOME_TILE = re.compile(
    r'class="stat todo-tile[^"]*" href="[^"]+"><div class="n">(\d+)</div><div class="l">([^<]+)</div>'
)


def home_tiles(client, user) -> dict[str, int]:
    """The 待办 tiles on the user's home page, as the page shows them: label → count."""
    from django.urls import reverse

    client.force_login(user)
    html = client.get(reverse("core:dashboard")).content.decode()
    return {label: int(n) for n, label in HOME_TILE.findall(html)}
