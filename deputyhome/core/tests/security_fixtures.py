"""A rich data set for the security tests (object-level access and personal-data crawls).

Two townships, A = 六角亭街道 and B = 白杨坪镇 (the small city of `deputyhome.testing`), their
stations, groups and deputies, two handling units (A = 市住房和城乡建设局, B = 市人民法院), and for
every app at least one object on side A and one on side B, written through the apps' own
services wherever one exists:

- suggestions with attachments, A assigned to unit A only, B to unit B only (B replied, accepted
  and published, so it has a public reply page); the deputy persona's own suggestion; a draft
  entered by the city officer;
- activities with photos and outputs (documents), problems (open, and forwarded to a unit as a
  referral), station assessments with evidence photos, rule postings, township themes and group
  topics (campaigns, rules, standards are the city's: one of each);
- voter opinions left with a phone and a photo, reception schedules and records, pairings,
  model-deputy stories (B published);
- training plans and sessions (city, A, B) with attendance, a material handed out;
- duty records: congress-session attendance and reports to voters;
- notifications to every user;
- one login per role (`ROLES`), plus the clerk of unit B, the officer of township B, and a
  deputy and an officer created and changed through the services (so that the audit trail
  holds what such writes record).

`objs["a"]` and `objs["b"]` map a kind ("suggestion", "activity", ...) to the object on that
side; `objs["other"]` holds side-A objects that belong to another deputy than the deputy
persona (outside that persona's scope although in its township).

Build it once per module with `module_dataset(...)`: it runs in a transaction that is rolled
back after the module, and each test's own transaction nests inside it.
"""

from __future__ import annotations

import contextlib
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from deputyhome.testing import reply_to

PASSWORD = "Test-Passw0rd!"

# The roles of the access tests, each with the login built for it (anonymous is tested apart).
ROLES = (
    "city",  # city officer (市人大常委会代工委)
    "township",  # township officer of A
    "group",  # group leader of a group in A (also a deputy of A)
    "liaison",  # liaison officer of the same group
    "deputy",  # a deputy in A
    "unit",  # clerk of unit A
    "supervisor",
    "leader",
    "sysadmin",  # system administrator
    "secadmin",  # security administrator
    "auditor",  # audit administrator
)

# Citizens' phones on the voter opinions (personal data the crawler must not find in full).
CITIZEN_PHONES = {"a": "13912340001", "b": "13912340002", "a_recorded": "13912340003"}


@dataclass
class SecurityData:
    city: Any  # deputyhome.testing.SmallCity
    users: dict[str, Any]
    objs: dict[str, dict[str, Any]] = field(default_factory=lambda: {"a": {}, "b": {}, "other": {}})
    org_session: Any = None
    year: int = 0

    def obj(self, side: str, kind: str) -> Any:
        return self.objs[side][kind]

    @property
    def deputies(self) -> list:
        from deputyhome.deputies.models import Deputy

        return list(Deputy.objects.order_by("pk"))


def png(name: str = "photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (30, 120, 30)).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _user(username: str, role: str, **anchor) -> Any:
    from deputyhome.accounts.models import User

    user = User(username=username, role=role, display_name=username, **anchor)
    user.set_password(PASSWORD)
    user.save()
    return user


def build() -> SecurityData:
    """Everything above, in the current transaction. MEDIA_ROOT must point at a scratch folder."""
    from deputyhome.accounts.choices import Role
    from deputyhome.testing import build_small_city, make_personas

    sc = build_small_city()
    users = make_personas(sc, password=PASSWORD)
    if "secadmin" not in users:
        users["secadmin"] = _user("secadmin", Role.SECURITY_ADMIN)
    users["unit_b"] = _user("unit_b", Role.UNIT_CLERK, unit=sc.unit_b)
    users["deputy_b"] = _user("deputy_b", Role.DEPUTY, deputy=sc.deputies_b[1])
    users["deputy_a1"] = _user("deputy_a1", Role.DEPUTY, deputy=sc.deputies_a[1])
    data = SecurityData(city=sc, users=users, year=timezone.localdate().year)
    _organisation(data)
    _deputies(data)
    _suggestions(data)
    _motions(data)
    _activities(data)
    _opinions(data)
    _training(data)
    _records(data)
    _notifications(data)
    return data


@contextlib.contextmanager
def module_dataset(django_db_blocker, media_root) -> Iterator[SecurityData]:
    """Build the data set once for a test module; roll it back (and drop the media override) after."""
    with (
        override_settings(MEDIA_ROOT=str(media_root), PUBLIC_BASE_URL=""),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        data = build()
        yield data
        transaction.set_rollback(True)


# The parts ---------------------------------------------------------------------------------------------


def _organisation(d: SecurityData) -> None:
    from deputyhome.organisation.models import Session

    sc = d.city
    d.org_session = Session.objects.create(
        congress=sc.city_congress,
        number=6,
        name="恩施市第十一届人民代表大会第六次会议",
        start_date=datetime.date(d.year, 1, 10),
        end_date=datetime.date(d.year, 1, 13),
    )
    township_session = Session.objects.create(
        congress=sc.township_congress_b,
        number=3,
        name="白杨坪镇第十九届人民代表大会第三次会议",
        start_date=datetime.date(d.year, 1, 5),
        end_date=datetime.date(d.year, 1, 6),
    )
    for side, region, station, home, group, unit, congress in (
        ("a", sc.township_a, sc.station_a, sc.home_a, sc.group_a, sc.unit_a, sc.city_congress),
        ("b", sc.township_b, sc.station_b, sc.home_b, sc.group_b, sc.unit_b, sc.township_congress_b),
    ):
        d.objs[side].update(
            region=region, station=station, home=home, group=group, unit=unit, congress=congress, user=None
        )
    d.objs["a"]["org_session"] = d.org_session
    d.objs["b"]["org_session"] = township_session
    d.objs["a"]["user"] = d.users["township"]
    d.objs["b"]["user"] = d.users["township_b"]


def _deputies(d: SecurityData) -> None:
    """Deputies of each side with their mandate and membership; one deputy written through the services."""
    from deputyhome.deputies import services
    from deputyhome.deputies.choices import Gender, GroupRole
    from deputyhome.testing import make_id_number

    sc = d.city
    for side, deputy in (("a", sc.deputies_a[1]), ("b", sc.deputies_b[1])):
        d.objs[side].update(deputy=deputy, mandate=deputy.mandates.first(), membership=deputy.memberships.first())
    other = sc.deputies_a[1]  # in A, but not the deputy persona (deputies_a[3])
    d.objs["other"].update(deputy=other)
    # A deputy entered and corrected through the services, as the roster page and the form do:
    # their audit rows carry what such writes record.
    start = datetime.date(2021, 10, 1)
    created = services.deputy_create(
        data={
            "name": "王新",
            "gender": Gender.FEMALE,
            "ethnicity": "土家族",
            "birth_date": datetime.date(1980, 6, 1),
            "party": "群众",
            "education": "大学",
            "employer_title": "西门社区居委会主任",
            "phone": "13700001111",
            "id_number": make_id_number(901, birth=datetime.date(1980, 6, 1)),
            "region": sc.township_a,
        },
        actor=d.users["city"],
    )
    services.mandate_create(
        data={
            "deputy": created,
            "congress": sc.city_congress,
            "constituency": "六角亭街道第9选区",
            "start_date": start,
        },
        actor=d.users["city"],
    )
    services.membership_create(
        data={"deputy": created, "group": sc.group_a, "role": GroupRole.MEMBER, "start_date": start},
        actor=d.users["township"],
    )
    services.deputy_update(deputy=sc.deputies_b[2], data={"phone": "13600002222"}, actor=d.users["township_b"])


def _suggestions(d: SecurityData) -> None:
    from deputyhome.suggestions import services as sv
    from deputyhome.suggestions.models import Attachment, Category, Policy, ResultClass

    sc, u = d.city, d.users
    category = Category.objects.order_by("order", "pk").first()
    result_a = ResultClass.objects.get(code="A")
    policy = Policy.objects.create(year=d.year)
    for side in ("a", "b"):  # the suggestion settings are the city's: one of each
        d.objs[side].update(category=category, result_class=result_a, policy=policy)

    def course(author, unit, clerk, title: str, side: str):
        s = sv.suggestion_create(
            author=author,
            data={"title": title, "situation": "基本情况", "reasons": "原因", "proposals": "具体建议"},
            actor=u["city"],
            files=[pdf(f"{side}-附件.pdf")],
        )
        sv.suggestion_submit(suggestion=s, actor=u["city"])
        sv.suggestion_register(suggestion=s, category=category, actor=u["city"])
        sv.suggestion_assign(suggestion=s, lead_unit=unit, actor=u["city"])
        sv.suggestion_receive(suggestion=s, actor=clerk)
        sv.suggestion_consult(suggestion=s, date=timezone.localdate(), way="phone", notes="电话沟通", actor=clerk)
        s.refresh_from_db()
        return s

    sug_a = course(sc.deputies_a[1], sc.unit_a, u["unit"], "关于西门社区老街路灯维修的建议", "a")
    sug_b = course(sc.deputies_b[1], sc.unit_b, u["unit_b"], "关于洞下槽村茶园便道修缮的建议", "b")
    # B is answered (with an attachment to the reply), accepted and published.
    reply_to(
        sug_b,
        u["unit_b"],
        result_a,
        text="已安排资金修缮。",
        publishable=True,
        files=[pdf("b-答复.pdf")],
        accepted_by=u["city"],
    )
    sug_b.refresh_from_db()
    own = sv.suggestion_create(
        author=sc.deputies_a[3],
        data={"title": "关于老城区停车难的建议", "proposals": "增设停车位"},
        actor=u["deputy"],
        files=[pdf("own.pdf")],
    )
    sv.suggestion_submit(suggestion=own, actor=u["deputy"])
    draft = sv.suggestion_create(
        author=sc.deputies_b[2], data={"title": "代为录入的草稿", "proposals": "草稿内容"}, actor=u["city"]
    )
    for side, s in (("a", sug_a), ("b", sug_b)):
        d.objs[side]["suggestion"] = s
        d.objs[side]["attachment"] = Attachment.objects.filter(suggestion=s, reply__isnull=True).first()
    d.objs["b"]["reply_attachment"] = Attachment.objects.filter(suggestion=sug_b, reply__isnull=False).first()
    d.objs["other"]["suggestion"] = sug_a
    d.objs["other"]["attachment"] = d.objs["a"]["attachment"]
    d.objs["a"]["own_suggestion"] = own
    d.objs["b"]["draft_suggestion"] = draft
    _township_work(d, category)


def _township_work(d: SecurityData, category) -> None:
    """Township B's congress runs a suggestion of its own deputy, assigned to a township office and forwarded
    up to city unit B (a forward: unit B's clerk answers it, township B's officer may withdraw it)."""
    from deputyhome.deputies.models import Mandate
    from deputyhome.organisation.models import HandlingUnit
    from deputyhome.suggestions import services as sv

    sc, u = d.city, d.users
    office = HandlingUnit.objects.create(name="白杨坪镇农业服务中心", region=sc.township_b)
    author = sc.deputies_b[3]
    Mandate.objects.create(deputy=author, congress=sc.township_congress_b, start_date=datetime.date(2021, 10, 1))
    s = sv.suggestion_create(
        author=author,
        data={"title": "关于洞下槽村灌溉渠维修的建议", "proposals": "维修灌溉渠", "congress": sc.township_congress_b},
        actor=u["township_b"],
    )
    sv.suggestion_submit(suggestion=s, actor=u["township_b"])
    sv.suggestion_register(suggestion=s, category=category, actor=u["township_b"])
    sv.suggestion_assign(suggestion=s, lead_unit=office, actor=u["township_b"])
    forward = sv.suggestion_forward_up(suggestion=s, unit=sc.unit_b, note="涉及市级水利资金", actor=u["township_b"])
    d.objs["b"].update(township_suggestion=s, forward=forward)


def _motions(d: SecurityData) -> None:
    """The city session's delegations (A and B, their members), a motion led in A (not by the deputy persona)
    and one led in B, both filed and accepted, a draft led in B, and the city congress's rules for motions."""
    import time_machine

    from deputyhome.accounts.choices import Role
    from deputyhome.motions import services as mv
    from deputyhome.motions.models import MotionRules

    sc, u = d.city, d.users
    city = u["city"]
    session = d.org_session
    rules = MotionRules.objects.create(congress=sc.city_congress, min_signers=3, review_months=6)
    with time_machine.travel(datetime.datetime(d.year, 1, 11, 10, 0, tzinfo=datetime.UTC), tick=False):
        for side, name, region, deputies in (
            ("a", "六角亭街道代表团", sc.township_a, sc.deputies_a),
            ("b", "白杨坪镇代表团", sc.township_b, sc.deputies_b),
        ):
            delegation = mv.delegation_create(data={"session": session, "name": name, "region": region}, actor=city)
            mv.delegation_members_add(
                delegation=delegation, deputies=deputies, start_date=session.start_date, head=deputies[0], actor=city
            )
            d.objs[side].update(delegation=delegation, delegation_member=delegation.members.order_by("pk").first())
        signed = {
            "a": (sc.deputies_a[1], [sc.deputies_a[0], sc.deputies_a[2]]),
            "b": (sc.deputies_b[1], sc.deputies_b[::2]),
        }
        leads = {"a": u["deputy_a1"], "b": u["deputy_b"]}
        for side, (lead, cosigners) in signed.items():
            m = mv.motion_create(
                session=session,
                lead=lead,
                data={"title": f"{side}关于加强农村饮水安全的议案", "grounds": "案据", "plan": "方案"},
                cosigners=cosigners,
                actor=leads[side],
            )
            m = mv.motion_file(motion=m, actor=leads[side])
            m.signers.update(confirmed_at=m.filed_at)
            d.objs[side]["motion"] = mv.motion_check(motion=m, within_powers=True, actor=city)
        d.objs["b"]["draft_motion"] = mv.motion_create(
            session=session, lead=sc.deputies_b[1], data={"title": "b草稿议案"}, actor=u["deputy_b"]
        )
        # A pending request for leave from the city session on each side (decided by the city committee).
        u["deputy_b2"] = _user("deputy_b2", Role.DEPUTY, deputy=sc.deputies_b[2])
        for side, asker in (("a", u["deputy"]), ("b", u["deputy_b2"])):
            d.objs[side]["leave_request"] = mv.session_leave_request(
                session=session, deputy=asker.deputy, reason="因公出差", actor=asker
            )
    for side in ("a", "b"):
        d.objs[side].update(city_session=session, motion_rules=rules)
    d.objs["other"]["motion"] = d.objs["a"]["motion"]


def _activities(d: SecurityData) -> None:
    from deputyhome.activities import services as av
    from deputyhome.activities.choices import ActivityKind, Attendance, ItemStatus, OrganiserLevel, OutputKind
    from deputyhome.activities.models import (
        ActivityPhoto,
        EvidencePhoto,
        GroupTopic,
        RulePosting,
        StandardItem,
        TownshipTheme,
    )
    from deputyhome.suggestions.models import Category

    sc, u = d.city, d.users
    today = timezone.localdate()
    city = u["city"]
    campaign = av.campaign_create(
        data={
            "slogan": "履职为民",
            "start_on": datetime.date(d.year, 1, 1),
            "end_on": datetime.date(d.year, 12, 31),
            "main_theme": "助力乡村振兴",
        },
        actor=city,
    )
    rule = av.rule_create(data={"title": "代表联系接待选民制度", "category": "reception"}, actor=city)
    version = av.rule_version_create(
        rule=rule, data={"version": "2026版", "text": "每月接待选民一次。", "effective_on": today}, actor=city
    )
    item = StandardItem.objects.order_by("order", "pk").first()
    for side in ("a", "b"):
        d.objs[side].update(campaign=campaign, rule=rule, standard_item=item)

    specs = {
        "a": {
            "actor": u["township"],
            "data": {
                "kind": ActivityKind.VISIT,
                "level": OrganiserLevel.GROUP,
                "group": sc.group_a,
                "date": today - datetime.timedelta(days=3),
                "place": "西门社区",
                "topic": "老城文旅振兴走访",
                "campaign": campaign,
            },
            "participants": sc.deputies_a[:3],
            "station": sc.station_a,
            "region": sc.township_a,
            "group": sc.group_a,
            "deputy": sc.deputies_a[1],
            "unit": sc.unit_a,
        },
        "b": {
            "actor": u["township_b"],
            "data": {
                "kind": ActivityKind.RESEARCH,
                "level": OrganiserLevel.TOWNSHIP,
                "region": sc.township_b,
                "date": today - datetime.timedelta(days=5),
                "place": "洞下槽村",
                "topic": "茶旅融合调研",
                "campaign": campaign,
            },
            "participants": sc.deputies_b[:2],
            "station": sc.station_b,
            "region": sc.township_b,
            "group": sc.group_b,
            "deputy": sc.deputies_b[0],
            "unit": sc.unit_b,
        },
    }
    category = Category.objects.order_by("order", "pk").first()
    for side, spec in specs.items():
        actor = spec["actor"]
        activity = av.activity_create(
            data=spec["data"],
            participants=[(dep, Attendance.PRESENT) for dep in spec["participants"]],
            photos=[png(f"{side}-activity.png")],
            actor=actor,
        )
        output = av.output_create(
            activity=activity,
            data={"kind": OutputKind.RESEARCH_REPORT, "title": f"{spec['data']['topic']}调研报告", "date": today},
            file=pdf(f"{side}-output.pdf"),
            actor=actor,
        )

        def problem(text: str, *, activity=activity, spec=spec, actor=actor):
            return av.problem_create(
                data={
                    "text": text,
                    "place": spec["data"]["place"],
                    "category": category,
                    "deputy": spec["deputy"],
                    "activity": activity,
                },
                actor=actor,
            )

        open_problem = problem(f"{spec['data']['place']}路灯损坏，夜间出行不便。")
        forwarded = problem(f"{spec['data']['place']}便道积水。")
        referral = av.problem_forward(problem=forwarded, unit=spec["unit"], actor=actor)
        assessment = av.assessment_save(
            station=spec["station"],
            year=d.year,
            assessed_on=today,
            results=[
                {"item": i, "status": ItemStatus.MET, "notes": "", "photos": [png(f"{side}-evidence.png")]}
                for i in StandardItem.objects.filter(is_active=True)
            ],
            actor=actor,
        )
        av.rule_post(station=spec["station"], version=version, posted_on=today, actor=actor)
        av.township_theme_set(campaign=campaign, region=spec["region"], theme=f"{spec['region'].name}主题", actor=actor)
        av.group_topic_set(campaign=campaign, group=spec["group"], topic=f"{spec['group'].name}小切口", actor=actor)
        d.objs[side].update(
            activity=activity,
            activity_photo=ActivityPhoto.objects.get(activity=activity),
            output=output,
            problem=open_problem,
            forwarded_problem=forwarded,
            referral=referral,
            assessment=assessment,
            evidence=EvidencePhoto.objects.filter(result__assessment=assessment).first(),
            posting=RulePosting.objects.get(station=spec["station"], version=version),
            theme=TownshipTheme.objects.get(campaign=campaign, region=spec["region"]),
            topic=GroupTopic.objects.get(campaign=campaign, group=spec["group"]),
        )
    for kind in ("activity", "activity_photo", "output", "problem", "forwarded_problem", "referral"):
        d.objs["other"][kind] = d.objs["a"][kind]


def _opinions(d: SecurityData) -> None:
    from deputyhome.opinions import services as ov
    from deputyhome.opinions.choices import Channel, ContactWay, Weekday
    from deputyhome.opinions.uploads import clean_photo

    sc, u = d.city, d.users
    today = timezone.localdate()
    sides = {
        "a": (sc.station_a, sc.village_a, sc.deputies_a[1], u["township"], "西门社区路灯不亮"),
        "b": (sc.station_b, sc.village_b, sc.deputies_b[1], u["township_b"], "洞下槽村自来水压力不足"),
    }
    for side, (station, village, deputy, officer, content) in sides.items():
        opinion = ov.opinion_submit(
            data={
                "content": f"{content}，请帮忙反映。",
                "name": "王大姐",
                "phone": CITIZEN_PHONES[side],
                "consent": True,
            },
            station=station,
            photo=clean_photo(jpeg(f"{side}.jpg")),
            client_address=f"10.0.0.{1 if side == 'a' else 2}",
        )
        slot = ov.reception_slot_create(
            data={
                "station": station,
                "weekday": Weekday.MONDAY,
                "start_time": datetime.time(9, 0),
                "end_time": datetime.time(11, 0),
                "notice": "每周一上午接待",
                "is_active": True,
            },
            deputies=[deputy],
            actor=officer,
        )
        reception = ov.reception_create(
            data={"station": station, "date": today, "voters_received": 5, "notes": "接待5人次"},
            deputies=[deputy],
            actor=officer,
        )
        pairing = ov.pairing_create(
            data={"deputy": deputy, "household": "李家", "village": village, "members": 4, "since": today},
            actor=officer,
        )
        ov.pairing_contact_add(
            pairing=pairing, data={"date": today, "way": ContactWay.VISIT, "notes": "入户走访"}, actor=officer
        )
        story = ov.story_create(
            data={
                "deputy": deputy,
                "title": f"{deputy.name}代表的履职故事",
                "text": "扎根基层。",
                "figures": [["结对户数", "12户"]],
            },
            actor=officer,
        )
        if side == "b":
            story = ov.story_publish(story=story, publish=True, actor=officer)
        d.objs[side].update(opinion=opinion, slot=slot, reception=reception, pairing=pairing, story=story)
    recorded = ov.opinion_record(
        data={
            "station": sc.station_a,
            "channel": Channel.RECEPTION,
            "content": "老街排水沟堵塞。",
            "name": "张大爷",
            "phone": CITIZEN_PHONES["a_recorded"],
            "reception": d.objs["a"]["reception"],
            "deputy": sc.deputies_a[1],
        },
        actor=u["township"],
    )
    d.objs["a"]["recorded_opinion"] = recorded
    d.objs["other"].update(pairing=d.objs["a"]["pairing"], story=d.objs["a"]["story"])


def _training(d: SecurityData) -> None:
    from deputyhome.training import services as tv
    from deputyhome.training.choices import AttendanceStatus, OrganiserLevel, SessionKind
    from deputyhome.training.models import Attendance

    sc, u = d.city, d.users
    today = timezone.localdate()
    material = tv.material_create(
        data={"title": "新时代人大代表履职手册", "publisher": "中国民主法制出版社"}, actor=u["city"]
    )
    sides = {
        "city": (u["city"], OrganiserLevel.CITY, None, sc.deputies_a + sc.deputies_b),
        "a": (u["township"], OrganiserLevel.TOWNSHIP, sc.township_a, sc.deputies_a[:3]),
        "b": (u["township_b"], OrganiserLevel.TOWNSHIP, sc.township_b, sc.deputies_b),
    }
    made = {}
    for side, (actor, level, region, deputies) in sides.items():
        plan = tv.plan_create(
            data={
                "year": d.year,
                "level": level,
                "region": region,
                "title": f"{side}年度培训方案",
                "budget": Decimal("1000"),
            },
            actor=actor,
        )
        session = tv.session_create(
            data={
                "plan": plan,
                "title": f"{side}专题培训",
                "kind": SessionKind.SPECIAL,
                "level": level,
                "region": region,
                "date": today - datetime.timedelta(days=1),
                "hours": Decimal("3"),
                "place": "会议室",
            },
            actor=actor,
        )
        tv.attendance_invite(session=session, deputies=deputies, actor=actor)
        rows = list(Attendance.objects.filter(session=session).order_by("pk"))
        tv.attendance_mark(
            session=session, marks={a.pk: (AttendanceStatus.PRESENT, "") for a in rows[:-1]}, actor=actor
        )
        made[side] = (plan, session, rows[0])
    distribution = tv.distribution_create(
        data={"material": material, "deputy": sc.deputies_b[0], "session": made["b"][1], "date": today, "quantity": 1},
        actor=u["township_b"],
    )
    tv.distribution_create(
        data={"material": material, "deputy": sc.deputies_a[0], "date": today, "quantity": 1}, actor=u["township"]
    )
    for side in ("a", "b"):
        plan, session, attendance = made[side]
        d.objs[side].update(
            training_plan=plan, training_session=session, training_attendance=attendance, material=material
        )
    d.objs["b"]["distribution"] = distribution
    d.objs["other"].update(training_session=made["a"][1], training_attendance=made["a"][2])
    d.objs["a"]["city_training_session"] = made["city"][1]


def _records(d: SecurityData) -> None:
    import time_machine

    from deputyhome.motions import services as mv
    from deputyhome.motions.choices import AttendanceStatus
    from deputyhome.records import services as rv
    from deputyhome.records.choices import VoterReportStatus

    sc, u = d.city, d.users
    today = timezone.localdate()
    for side, deputy, station, officer in (
        ("a", sc.deputies_a[1], sc.station_a, u["township"]),
        ("b", sc.deputies_b[1], sc.station_b, u["township_b"]),
    ):
        with time_machine.travel(datetime.datetime(d.year, 1, 11, 10, 0, tzinfo=datetime.UTC), tick=False):
            mv.session_attendance_record(
                session=d.org_session,
                entries=[(deputy, AttendanceStatus.EXCUSED)],
                reasons={deputy.pk: "因病请假"},
                actor=u["city"],
            )
        report = rv.voter_report_create(
            data={
                "deputy": deputy,
                "station": station,
                "date": today - datetime.timedelta(days=2),
                "status": VoterReportStatus.HELD,
                "voters_present": 30,
                "summary": "述职情况良好。",
                "satisfied": 25,
                "basically_satisfied": 4,
                "dissatisfied": 1,
            },
            actor=officer,
        )
        d.objs[side]["voter_report"] = report
    d.objs["other"]["voter_report"] = d.objs["a"]["voter_report"]


def _notifications(d: SecurityData) -> None:
    from deputyhome.notifications.models import Notification
    from deputyhome.notifications.services import notify

    for key, user in d.users.items():
        notify(users=[user], subject=f"给{key}的通知", link="/")
    # The notification every tested role must fail to open: township B's officer's.
    d.objs["b"]["notification"] = Notification.objects.filter(user=d.users["township_b"]).first()
    d.objs["a"]["notification"] = Notification.objects.filter(user=d.users["township"]).first()
