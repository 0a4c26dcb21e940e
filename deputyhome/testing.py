"""Builders for tests: a small city shaped like the real one, and one login per persona."""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import os
import pickle  # noqa: S403 - our own snapshots, written by this test run into its own folder
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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


def browser_menu(page, menu: str, link: str) -> None:
    """On a phone: open 菜单, then the drop-down `menu`, and follow its entry `link`."""
    page.click("label.navbutton")
    page.locator("nav.mainnav summary", has_text=menu).click()
    page.locator("nav.mainnav").get_by_role("link", name=link, exact=True).click()


def change_password_when_asked(client, page: str, old: str, new: str) -> None:
    """Opening `page` sends the logged-in user to the password change first; there they change `old` to `new`."""
    from django.urls import reverse

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


# --- Table snapshots: build a large data set once, load it again in a moment ------------------------


@dataclass
class TableSnapshot:
    """The rows a build added to the database: restored by `load_snapshot` in the current transaction.

    `added` holds, per table, the column names and the rows that were not there before the build;
    `replaced` names the tables whose earlier rows the build changed or removed: they are emptied and
    refilled whole.
    """

    added: dict[str, tuple[list[str], list[tuple]]]
    replaced: set[str]


# The audit triggers' switch: a test sets it itself (see conftest.py), never a snapshot.
_NOT_SNAPSHOT = {"audit_maintenance"}


def _table_contents(cursor, tables: list[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    from django.db import connection

    contents = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
        contents[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    return contents


def _tables(cursor) -> list[str]:
    from django.db import connection

    return sorted(set(connection.introspection.table_names(cursor)) - _NOT_SNAPSHOT)


# The rows the migrations left in this worker's test database (default categories, result classes, the station
# checklist ...), read by conftest.py right after the database was made, before any test could change them.
_MIGRATED: dict[str, tuple[list[str], list[tuple]]] = {}


def remember_migration_rows() -> None:
    """Read the rows the migrations wrote; `restore_migration_rows` puts them back."""
    from django.db import connection

    with connection.cursor() as cursor:
        contents = _table_contents(cursor, _tables(cursor))
    _MIGRATED.clear()
    _MIGRATED.update({table: content for table, content in contents.items() if content[1]})


def restore_migration_rows() -> None:
    """Put back the rows the migrations wrote where a transactional test's flush removed them (conftest.py calls this
    right after each flush). They get back the ids the migrations gave them, so a snapshot's rows that point to them
    stay right. Tables that the flush refilled itself (content types, permissions) are left as they are."""
    from django.db import connection

    qn = connection.ops.quote_name
    if not _MIGRATED:
        return
    tables = list(_MIGRATED)
    # One query for every table: a row of 1s, a NULL for each empty table.
    probes = ", ".join(f"(SELECT 1 FROM {qn(table)} LIMIT 1)" for table in tables)  # noqa: S608 - introspected
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {probes}")  # noqa: S608 - names from introspection
        found = cursor.fetchone()
        emptied = {table: _MIGRATED[table] for table, row in zip(tables, found, strict=True) if row is None}
        if emptied:
            _insert(cursor, emptied)


def take_snapshot(build: Callable[[], object]) -> tuple[object, TableSnapshot]:
    """Run `build()` in a transaction that is rolled back afterwards: its result and the rows it wrote.

    The snapshot is checked once: loaded into the emptied database it must give back exactly the
    rows the build left, or this raises.
    """
    from django.db import connection, transaction

    with transaction.atomic():
        # The migrations' rows are never part of a snapshot: every test that loads one has them (conftest.py puts
        # them back after each flush).
        with connection.cursor() as cursor:
            tables = _tables(cursor)
            before = _table_contents(cursor, tables)
        result = build()
        with connection.cursor() as cursor:
            after = _table_contents(cursor, tables)
        transaction.set_rollback(True)
    added, replaced = {}, set()
    for table in tables:
        columns, rows = after[table]
        old = before[table][1]
        if rows == old:
            continue
        old_set = set(map(repr, old))
        if old_set <= set(map(repr, rows)):
            added[table] = (columns, [row for row in rows if repr(row) not in old_set])
        else:
            added[table] = (columns, rows)
            replaced.add(table)
    snapshot = TableSnapshot(added=added, replaced=replaced)
    with transaction.atomic():
        load_snapshot(snapshot, check_references=True)
        # The one check of the snapshot's foreign keys: every later load skips it (`_references_unchecked`).
        connection.check_constraints()
        with connection.cursor() as cursor:
            loaded = _table_contents(cursor, tables)
        transaction.set_rollback(True)
    differ = [t for t in tables if sorted(map(repr, loaded[t][1])) != sorted(map(repr, after[t][1]))]
    if differ:
        raise AssertionError(f"a loaded snapshot differs from the build in {differ}")
    return result, snapshot


# The folder `make test` gives its test processes (pytest-xdist workers, one run per database and kind) to share
# the large builds: the first process to need one builds it, the others wait for it and read it from there.
SNAPSHOT_CACHE = "DEPUTYHOME_SNAPSHOT_CACHE"


def cached_snapshot(key: str, build: Callable[[], object]) -> tuple[object, TableSnapshot]:
    """`take_snapshot(build)`, built once per database kind and day for all the test processes of one run.

    Without the folder (a developer's own pytest run) it is built here, as before. The snapshot is the rows
    as this database kind returns them, so SQLite and PostgreSQL keep one each.
    """
    folder = os.environ.get(SNAPSHOT_CACHE)
    if not folder:
        return take_snapshot(build)
    from django.db import connection
    from django.utils import timezone

    path = Path(folder) / f"{connection.vendor}-{key}-{timezone.localdate():%Y%m%d}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return pickle.loads(path.read_bytes())  # noqa: S301 - written above by this run
        found = take_snapshot(build)
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(found))
        partial.replace(path)
        return found


def load_committed(snapshot: TableSnapshot) -> None:
    """Load a snapshot for good (a browser test's live server must see the rows); the test's flush removes them."""
    from django.db import transaction

    with transaction.atomic():
        load_snapshot(snapshot)


def _sqlite_value(value):
    # Django's SQLite backend reads TIME columns back as datetime.time but registers no adapter to
    # write one; it stores them as their ISO text, as here.
    return value.isoformat() if isinstance(value, datetime.time) else value


def _insert(cursor, tables: dict[str, tuple[list[str], list[tuple]]]) -> None:
    """Write these rows, ids included, and move PostgreSQL's sequences past them (SQLite moves its own counters)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    qn = connection.ops.quote_name
    for table, (columns, rows) in tables.items():
        names = ", ".join(qn(c) for c in columns)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from introspection
            cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in rows])
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
    for sql in connection.ops.sequence_reset_sql(no_style(), models):
        cursor.execute(sql)


@contextlib.contextmanager
def _references_unchecked(cursor) -> Iterator[None]:
    """On PostgreSQL as a superuser (the throwaway test cluster), rows written in the block queue no foreign-key
    checks. Each row of a snapshot otherwise queued one, run when the test checked its constraints or the load
    committed: about 25 s of the database's time in a run, for rows checked once already (`take_snapshot`).
    Elsewhere the rows are checked as usual."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting('is_superuser') = 'on', current_setting('session_replication_role')")
    superuser, role = cursor.fetchone()
    if not superuser:
        yield
        return
    # "replica": the foreign keys' triggers (and any other trigger) do not fire for these rows.
    cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('session_replication_role', %s, false)", [role])


def load_snapshot(snapshot: TableSnapshot, *, check_references: bool = False) -> None:
    """Write a snapshot's rows in the current transaction. Their foreign keys were checked when the snapshot was
    taken; `check_references` checks them again (on PostgreSQL; SQLite checks them at commit as usual)."""
    from django.db import connection

    qn = connection.ops.quote_name
    with connection.cursor() as cursor, contextlib.nullcontext() if check_references else _references_unchecked(cursor):
        for table in sorted(snapshot.replaced):
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - names from introspection
        _insert(cursor, snapshot.added)
    analyze(*snapshot.added)


def analyze(*tables: str) -> None:
    """On PostgreSQL, statistics for tables a test has just filled in its own transaction (production's autovacuum
    would have taken them; it cannot see rows not committed). Without them the planner may count a table of
    20,000 rows as two, and pick nested loops that compare every row with every other (minutes, not a second)."""
    from django.db import connection

    if connection.vendor == "postgresql" and tables:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")


@contextlib.contextmanager
def snapshot_loaded(django_db_blocker, snapshot: TableSnapshot) -> Iterator[None]:
    """A snapshot's rows for the length of the block (a test module), rolled back after it."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_snapshot(snapshot)
        yield
        transaction.set_rollback(True)


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
