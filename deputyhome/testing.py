"""Builders for tests: a small city shaped like the real one, and one login per persona."""

from __future__ import annotations

import datetime
import re
import time
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


def add_deputies(n: int, *, congress, group, region, serial: int = 500, **person) -> list:
    """`n` more deputies (王0, 王1, ...; ID numbers from `serial` on) sitting in `congress` and members of
    `group` since 1 October 2021, for tests that need a longer list."""
    from deputyhome.deputies.models import Deputy, GroupMembership, Mandate

    since = datetime.date(2021, 10, 1)
    person = {"gender": "M", "ethnicity": "汉族", "birth_date": datetime.date(1980, 1, 1), "party": "群众", **person}
    added = []
    for i in range(n):
        deputy = Deputy.objects.create(name=f"王{i}", id_number=make_id_number(serial + i), region=region, **person)
        Mandate.objects.create(deputy=deputy, congress=congress, start_date=since)
        GroupMembership.objects.create(deputy=deputy, group=group, start_date=since)
        added.append(deputy)
    return added


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


def congress_session(sc: SmallCity, year: int = 2026, *, congress=None, name: str = "", days=None):
    """The sixth session of the small city's congress, 10-13 January of `year`; or of `congress` (named `name`),
    from the first to the last of `days` (dates)."""
    from deputyhome.organisation.models import Session

    first, last = days or (datetime.date(year, 1, 10), datetime.date(year, 1, 13))
    return Session.objects.create(
        congress=congress or sc.city_congress,
        number=6,
        name=name or "恩施市第十一届人民代表大会第六次会议",
        start_date=first,
        end_date=last,
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


def draft_suggestion(user, title: str, *, cosigners=(), **data):
    """A suggestion drafted through the service by the deputy whose login is `user`; `data` gives its other fields."""
    from deputyhome.suggestions import services as sv

    return sv.suggestion_create(author=user.deputy, data={"title": title, **data}, actor=user, cosigners=cosigners)


def draft_cosigned_suggestion(people: dict, session):
    """The deputy persona's suggestion on 西门社区's old water pipes, co-signed by the co-signer persona (a draft)."""
    return draft_suggestion(
        people["deputy"],
        "关于改造西门社区老旧管网的建议",
        situation="管网老化",
        reasons="年久失修",
        proposals="纳入改造计划",
        session=session,
        cosigners=[people["cosigner"].deputy],
    )


def reply_to(suggestion, clerk, result_class, *, accepted_by=None, text: str = "已办", **options):
    """The lead unit's reply through the service (not publishable, no follow-up date unless given) and, with
    `accepted_by`, that staff member's acceptance of it."""
    from deputyhome.suggestions import services as sv

    options = {"publishable": False, "follow_up_on": None, **options}
    reply = sv.suggestion_reply(suggestion=suggestion, text=text, result_class=result_class, actor=clerk, **options)
    if accepted_by is not None:
        sv.suggestion_review_reply(suggestion=suggestion, accept=True, note="", actor=accepted_by)
    return reply


def browser_log_in(page, base: str, username: str, password: str) -> None:
    """Log in through the real login form in a Playwright page and wait for the home page."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


# htmx gives the elements it swapped in their own behaviour (hx-get, hx-trigger) only when it settles, 20 ms after
# the swap; until then they carry the class htmx-settling (or htmx-swapping, htmx-request while it works).
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"
HTMX_AT_REST = f"() => !document.querySelector('{HTMX_BUSY}')"


def htmx_at_rest(page) -> None:
    """Wait until htmx has no request in flight and has settled what it swapped in: what a user then types into a
    field it brought is seen by that field's own hx-trigger (a person cannot type within the 20 ms; a test can)."""
    page.wait_for_function(HTMX_AT_REST)


def browser_menu(page, menu: str, link: str) -> None:
    """On a phone: open 菜单, then the drop-down `menu`, and follow its entry `link`."""
    page.click("label.navbutton")
    page.locator("nav.mainnav summary", has_text=menu).click()
    page.locator("nav.mainnav").get_by_role("link", name=link, exact=True).click()


class BrokenSms:
    """An SMS gateway that is down (settings.SMS_BACKEND = "deputyhome.testing.BrokenSms")."""

    def send(self, *, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


class SlowSms:
    """An SMS platform that answers, slowly: each message takes `SECONDS`, then lands in the test outbox
    (settings.SMS_BACKEND = "deputyhome.testing.SlowSms")."""

    SECONDS = 0.1

    def send(self, *, phone: str, text: str) -> None:
        from deputyhome.notifications.services import outbox

        time.sleep(self.SECONDS)
        outbox.append((phone, text))


def sms_code(phone: str) -> str:
    """The six-digit code of the last SMS the test backend sent to `phone`."""
    from deputyhome.notifications.services import outbox

    texts = [text for to, text in outbox if to == phone]
    assert texts, f"no SMS to {phone}"
    return re.search(r"验证码为(\d{6})", texts[-1]).group(1)


def pass_first_login_check(client, phone: str) -> None:
    """Opening any page sends the logged-in deputy's account to 首次登录验证; there it gets the code sent to `phone`
    and types it."""
    from django.urls import reverse

    page = reverse("deputies:first_login")
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"] == page
    assert client.post(page, {"action": "send"}).status_code == 302
    assert client.post(page, {"action": "verify", "code": sms_code(phone)}).status_code == 302


def change_password_when_asked(client, page: str, old: str, new: str, *, phone: str = "") -> None:
    """Opening `page` sends the logged-in user to the password change first (after 首次登录验证 with the code sent to
    `phone`, when given); there they change `old` to `new`."""
    from django.urls import reverse

    if phone:
        pass_first_login_check(client, phone)
    response = client.get(reverse(page))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    assert client.post(reverse("accounts:password_change"), data).status_code == 302


HOME_TILE = re.compile(
    r'class="stat todo-tile[^"]*" href="[^"]+"><div class="n">(\d+)</div><div class="l">([^<]+)</div>'
)


def home_tiles(client, user) -> dict[str, int]:
    """The 待办 tiles on the user's home page, as the page shows them: label → count."""
    from django.urls import reverse

    client.force_login(user)
    html = client.get(reverse("core:dashboard")).content.decode()
    return {label: int(n) for n, label in HOME_TILE.findall(html)}


def largest_select(html: str) -> int:
    """How many options the largest drop-down (<select>) of a page holds."""
    selects = re.findall(r"<select\b.*?</select>", html, re.S)
    return max((len(re.findall(r"<option\b", s)) for s in selects), default=0)


def add_places(sc: SmallCity, n: int) -> None:
    """`n` more townships under the city, each with a station and a group, and `n` more handling units (bulk)."""
    from deputyhome.organisation.choices import RegionKind, StationKind, UnitKind
    from deputyhome.organisation.models import DeputyGroup, HandlingUnit, Region, Station

    towns = Region.objects.bulk_create(
        [Region(code=f"422801{300 + i:03d}", name=f"新设{i}镇", kind=RegionKind.TOWN, parent=sc.city) for i in range(n)]
    )
    stations = Station.objects.bulk_create(
        [Station(kind=StationKind.HOME, name=f"{t.name}人大代表之家", region=t) for t in towns]
    )
    DeputyGroup.objects.bulk_create(
        [
            DeputyGroup(name=f"{s.region.name}第一代表小组", station=s, sort_key=f"{i:06d}")
            for i, s in enumerate(stations)
        ]
    )
    HandlingUnit.objects.bulk_create([HandlingUnit(name=f"市第{i}局", kind=UnitKind.GOVERNMENT) for i in range(n)])


def add_township_congresses() -> list:
    """A first township congress for each town `add_places` added (a province has a thousand congresses)."""
    from deputyhome.organisation.choices import CongressLevel, RegionKind
    from deputyhome.organisation.models import Congress, Region

    towns = Region.objects.filter(name__startswith="新设", kind=RegionKind.TOWN)
    return Congress.objects.bulk_create(
        [Congress(level=CongressLevel.TOWNSHIP, term=1, name=f"{t.name}第一届人民代表大会", region=t) for t in towns]
    )


def register_rows(html: str) -> list[list[str]]:
    """The rows of a register's table as the page shows them: each cell's text, tags taken out."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def after_commit():
    """Run, at the end of the block, what the code under test left for after its commit (the e-mails and SMS it
    queued): a test's own transaction never commits."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
