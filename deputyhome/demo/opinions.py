"""Demo voter contact: reception schedules and records, voter opinions, pairings, model deputies.

Every station gets a weekly reception slot (homes also announce a one-off reception in the
coming weeks), and receptions are recorded on those weekdays from January to yesterday. A few
hundred voter opinions come in through the year, by QR code and at receptions, in every state:
new, replied, forwarded to a unit (most with the unit's reply), merged into a similar one, and
registered as problems (some of which became suggestions).

Opinions "turned into problems" are linked to problems the activities demo already made (the
opinion is what the voter said; its text is the problem's), so the article's 241 problems stay
241. Without the activities demo those opinions are answered directly instead. Forwarded
opinions get referrals of their own (the fast lane), which the activities statistics do not count.

The three model deputies the article names (蒋子祥, 谢海艳 "土家艳子", 何启华) are three city
deputies of the demo renamed, with their pairings and published stories and the article's figures.

Everything but the tracking codes comes from the part's seeded generator; tracking codes are
drawn with `secrets` like real ones, so that even demo codes cannot be guessed from the seed.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections.abc import Sequence
from typing import Any

from deputyhome.accounts.choices import Role
from deputyhome.accounts.models import User
from deputyhome.deputies.choices import Gender
from deputyhome.deputies.models import Deputy
from deputyhome.opinions import codes, notices
from deputyhome.opinions.choices import Channel, ContactWay, OpinionStatus, Weekday
from deputyhome.opinions.models import ModelStory, Opinion, Pairing, PairingContact, Reception, ReceptionSlot
from deputyhome.organisation.choices import CONGRESS_KINDS, CongressLevel, RegionKind, StationKind
from deputyhome.organisation.models import Region, Station

from . import data

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)
ONLINE_OPINIONS = 240
RECEPTION_OPINIONS = 130
VISIT_OPINIONS = 20

# (text, place hint) — {place} is a village or community, {township} the township.
OPINIONS = [
    "{place}通组公路有一段塌方，雨天车辆无法通行，希望尽快修复。",
    "{place}村口的路灯坏了好几盏，晚上出行不安全。",
    "{place}自来水经常停水，夏天用水紧张，希望改造管网。",
    "{township}集镇农贸市场周边占道经营严重，交通拥堵。",
    "{place}小学门口没有减速带和斑马线，学生上下学不安全。",
    "希望{township}卫生院增加儿科门诊时间，带孩子看病要跑到城区。",
    "{place}的茶叶收购价格不稳定，希望引进龙头企业保底收购。",
    "{place}垃圾收运不及时，垃圾池满了好几天没人清理。",
    "老旧小区没有电梯，老人上下楼困难，希望加快加装电梯。",
    "{place}河道里有人倒建筑垃圾，影响行洪，请有关部门查处。",
    "{place}至{township}集镇的班车太少，希望增加班次。",
    "{place}的手机信号不好，希望增设通信基站。",
    "希望在{place}建一个村级养老服务站，留守老人没人照顾。",
    "{place}农田灌溉渠道年久失修，漏水严重，影响种植。",
    "建议{township}多组织一些农村实用技术培训，特别是茶叶和蔬菜种植。",
    "{place}附近的养殖场气味很大，影响周边居民生活。",
    "城区停车难，建议在{township}增设公共停车位。",
    "{place}的危房改造补助什么时候能发下来？",
    "希望在{place}建设文化广场，方便群众开展文体活动。",
    "{place}的饮水点水质浑浊，请检测并处理。",
    "建议对{place}的山体滑坡隐患点进行治理，雨季很担心。",
    "{township}农村电商服务站很少开门，农产品销售困难。",
    "希望为{place}的残疾人提供更多就业帮扶。",
    "{place}小区物业不作为，电梯经常坏，业主投诉无门。",
    "{place}村民医保缴费流程复杂，老人不会用手机缴费，希望安排上门服务。",
    "建议在{township}增设一所公办幼儿园，现在入园难、费用高。",
    "{place}的桥梁护栏损坏，存在安全隐患。",
    "{place}道路两旁的树木遮挡视线，转弯处容易出事故。",
]
REPLIES = [
    "您反映的问题已收悉，经与{township}人民政府对接，已列入近期整改计划，预计一个月内完成。感谢您的监督。",
    "经代表实地查看，情况属实，已协调村（社区）组织人员处理，目前已整改完毕。",
    "感谢您的意见。该事项涉及规划调整，已作为代表调研课题，后续将形成建议提交。",
    "已联系相关负责人，近期将上门了解具体情况，请保持电话畅通。",
    "您反映的情况已转达{township}有关站所，已安排专人跟进，处理结果将及时反馈。",
]
UNIT_REPLIES = [
    "收到转交事项后，我单位立即安排工作人员现场核查，已完成维修，后续将加强日常巡查。",
    "经核实，该问题已纳入今年项目计划，资金已落实，预计下季度开工建设。",
    "我单位已会同属地乡镇开展联合执法，对相关行为进行了查处，并将持续跟踪。",
    "已约谈相关企业限期整改，整改完成后将组织复查，并向群众反馈结果。",
    "该事项已按程序办理，具体政策已由工作人员电话告知反映人。",
]
DUPLICATE_PREFIXES = ["同样的问题：", "我也反映一下，", "再次反映：", ""]
NOTICES = ["请需要反映问题的群众按时到站。", "接待当天可带好相关材料。", "", "", "如遇节假日顺延。"]
PAIRING_NOTES = ["脱贫户，种植茶叶3亩", "留守老人户", "种养殖户", "务工家庭，子女在校", "低保户", "残疾人家庭", ""]
CONTACT_NOTES = [
    "入户了解茶叶销售情况，帮助联系收购商。",
    "电话询问家庭近况，宣传医保缴费政策。",
    "帮助办理残疾人补贴申请。",
    "走访了解春耕备耕情况，协调化肥供应。",
    "宣传防汛避险知识，检查房屋安全。",
    "帮助子女联系就业岗位。",
    "节日慰问，了解生产生活困难。",
]
MODEL_DEPUTIES = {
    "蒋子祥": {
        "gender": Gender.MALE,
        "employer": "恩施市硒都茶业有限公司董事长",
        "households": 496,
        "members": 1438,
        "title": "带头发展茶产业 结对联系群众496户",
        "text": (
            "市人大代表蒋子祥扎根茶产业，带头发展、带动致富。他结对联系群众496户1438人，"
            "提供就业和务工岗位15个，累计为茶农提供鲜叶收入8000余万元，直接帮扶资金达300万元。\n"
            "他常说，代表就是要回到群众中去，把群众的事当成自己的事。"
        ),
        "figures": [
            ["结对联系群众", "496户"],
            ["涉及群众", "1438人"],
            ["提供就业和务工岗位", "15个"],
            ["为茶农提供鲜叶收入", "8000余万元"],
            ["直接帮扶资金", "300万元"],
        ],
    },
    "谢海艳": {
        "gender": Gender.FEMALE,
        "employer": "恩施市土家艳子电子商务有限公司总经理",
        "households": 22,
        "members": None,
        "title": "“土家艳子”：电商平台带富乡亲",
        "text": (
            "市人大代表谢海艳，网名“土家艳子”。她通过电商销售平台把家乡的土特产卖出大山，带动周边20多户群众增收致富。"
        ),
        "figures": [["带动周边群众增收致富", "20多户"]],
    },
    "何启华": {
        "gender": Gender.MALE,
        "employer": "社区人民调解委员会主任",
        "households": 30,
        "members": None,
        "title": "社区里的“金牌”调解员",
        "text": (
            "市人大代表何启华是社区里的“金牌”调解员，每年参与调解各类矛盾纠纷100余起，"
            "调解成功率98%以上，无一起投诉，群众满意率达100%。"
        ),
        "figures": [
            ["每年参与调解矛盾纠纷", "100余起"],
            ["调解成功率", "98%以上"],
            ["投诉", "0起"],
            ["群众满意率", "100%"],
        ],
    },
}


def _aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=TZ)


def _new_code(taken: set[str]) -> str:
    while True:
        code = codes.new_code()
        if code not in taken:
            taken.add(code)
            return code


def _person_name(rng: random.Random) -> str:
    female = rng.random() < 0.45
    pool = data.GIVEN_FEMALE if female else data.GIVEN_MALE
    return rng.choice(data.SURNAMES) + rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.6 else "")


def _phone(rng: random.Random) -> str:
    return rng.choice(["135", "138", "139", "150", "152", "158", "180", "187", "199"]) + f"{rng.randrange(10**8):08d}"


class _Builder:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.rng: random.Random = ctx.rng
        self.today: datetime.date = ctx.today
        self.year = ctx.today.year
        self.first = datetime.date(self.year, 1, 2)
        self.org = ctx.org
        self.persons = ctx.deputies.persons
        self.users = {u.username: u for u in User.objects.filter(username__in=[x.username for x in ctx.logins])}
        self.staff = self.users["city"]
        self.stations: list[Station] = [*self.org.homes, *self.org.stations]
        self.villages_of: dict[int, list[Region]] = {}
        for village in self.org.villages:
            self.villages_of.setdefault(village.parent_id, []).append(village)
        self.township_of_station: dict[int, Region] = {}
        for s in self.stations:
            self.township_of_station[s.pk] = s.region if s.kind == StationKind.HOME else self.org.township_of(s)
        self.deputies_at: dict[int, list[Deputy]] = {}
        for p in self.persons:
            self.deputies_at.setdefault(p.group.station.pk, []).append(p.deputy)
        self.township_deputies: dict[int, list[Deputy]] = {}
        for p in self.persons:
            self.township_deputies.setdefault(p.township.pk, []).append(p.deputy)
        self.township_user = self.users.get("township")
        self.codes: set[str] = set()

    # helpers ----------------------------------------------------------------------------------------

    def recorder(self, township: Region) -> User:
        """The officer who records at a station: the demo township officer in their township."""
        if self.township_user is not None and self.township_user.region_id == township.pk:
            return self.township_user
        return self.staff

    def station_deputies(self, station: Station) -> list[Deputy]:
        return self.deputies_at.get(station.pk) or self.township_deputies.get(
            self.township_of_station[station.pk].pk, []
        )

    def place_text(self, station: Station) -> tuple[str, str]:
        township = self.township_of_station[station.pk]
        if station.kind == StationKind.HOME:
            villages = self.villages_of.get(township.pk) or [township]
            return self.rng.choice(villages).name, township.name
        return station.region.name, township.name

    def opinion_text(self, station: Station) -> str:
        place, township = self.place_text(station)
        return self.rng.choice(OPINIONS).format(place=place, township=township)

    # model deputies --------------------------------------------------------------------------------

    def model_deputies(self) -> dict[str, Deputy]:
        taken = set(User.objects.filter(deputy__isnull=False).values_list("deputy_id", flat=True))
        city_people = [
            p for p in self.persons if CongressLevel.CITY in p.levels and p.deputy.pk not in taken and p.deputy
        ]

        def rural(p) -> bool:
            return p.township.kind in CONGRESS_KINDS

        def urban(p) -> bool:
            return p.township.kind == RegionKind.STREET

        wanted = [
            ("蒋子祥", lambda p: rural(p) and p.deputy.gender == Gender.MALE),
            ("谢海艳", lambda p: rural(p) and p.deputy.gender == Gender.FEMALE),
            ("何启华", lambda p: urban(p) and p.deputy.gender == Gender.MALE),
        ]
        chosen: dict[str, Deputy] = {}
        used: set[int] = set()
        for name, fits in wanted:
            pool = [p for p in city_people if fits(p) and p.deputy.pk not in used]
            # 何启华 is preferably in the demo township officer's street, so that login sees him.
            preferred = [p for p in pool if p.township.name == "六角亭街道"] if name == "何启华" else []
            person = self.rng.choice(preferred or pool)
            used.add(person.deputy.pk)
            info = MODEL_DEPUTIES[name]
            employer = info["employer"]
            if name == "何启华":
                employer = f"{person.group.station.region.name}{employer}"
            Deputy.objects.filter(pk=person.deputy.pk).update(name=name, employer_title=employer)
            person.deputy.name, person.deputy.employer_title = name, employer
            chosen[name] = person.deputy
        return chosen

    # reception schedules and records ---------------------------------------------------------------------

    def schedules(self) -> tuple[list[ReceptionSlot], dict[int, ReceptionSlot]]:
        slots: list[ReceptionSlot] = []
        deputies_of: list[list[Deputy]] = []
        weekly: dict[int, ReceptionSlot] = {}
        for station in self.stations:
            weekday = self.rng.choice(
                [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]
            )
            morning = self.rng.random() < 0.7
            slot = ReceptionSlot(
                station=station,
                weekday=weekday,
                start_time=datetime.time(9, 0) if morning else datetime.time(14, 30),
                end_time=datetime.time(11, 30) if morning else datetime.time(17, 0),
                notice=self.rng.choice(NOTICES),
                announced_on=self.first,
            )
            slots.append(slot)
            pool = self.station_deputies(station)
            deputies_of.append(self.rng.sample(pool, k=min(len(pool), self.rng.choice([2, 3, 3]))))
            weekly[station.pk] = slot
            if station.kind == StationKind.HOME:
                day = self.today + datetime.timedelta(days=self.rng.randint(3, 25))
                slots.append(
                    ReceptionSlot(
                        station=station,
                        date=day,
                        start_time=datetime.time(9, 0),
                        end_time=datetime.time(12, 0),
                        notice=f"{day:%-m月%-d日}上午，市、乡两级人大代表集中接待选民，欢迎群众前来反映问题。",
                        announced_on=self.today,
                    )
                )
                deputies_of.append(self.rng.sample(pool, k=min(len(pool), 4)))
        ReceptionSlot.objects.bulk_create(slots)
        through = ReceptionSlot.deputies.through
        through.objects.bulk_create(
            through(receptionslot_id=slot.pk, deputy_id=d.pk)
            for slot, ds in zip(slots, deputies_of, strict=True)
            for d in ds
        )
        return slots, weekly

    def receptions(self, weekly: dict[int, ReceptionSlot]) -> list[Reception]:
        rows: list[Reception] = []
        deputies_of: list[list[Deputy]] = []
        last = self.today - DAY
        for station in self.stations:
            slot = weekly[station.pk]
            # Homes receive weekly; liaison stations every two to four weeks.
            step = 1 if station.kind == StationKind.HOME else self.rng.choice([2, 3, 4])
            day = self.first + datetime.timedelta(days=(slot.weekday - self.first.isoweekday()) % 7)
            day += datetime.timedelta(weeks=self.rng.randrange(step))
            pool = self.station_deputies(station)
            while day <= last:
                if self.rng.random() < 0.85:  # some weeks the reception falls through (holidays, weather)
                    voters = self.rng.choice([0, 1, 2, 3, 3, 4, 5, 6, 8, 12]) + (
                        3 if station.kind == StationKind.HOME else 0
                    )
                    rows.append(
                        Reception(
                            station=station,
                            date=day,
                            slot=slot,
                            voters_received=voters,
                            notes="" if voters else "当日无群众来访。",
                            recorded_by=self.recorder(self.township_of_station[station.pk]),
                        )
                    )
                    deputies_of.append(self.rng.sample(pool, k=min(len(pool), self.rng.choice([1, 2, 2, 3]))))
                day += datetime.timedelta(weeks=step)
        Reception.objects.bulk_create(rows)
        through = Reception.deputies.through
        through.objects.bulk_create(
            through(reception_id=r.pk, deputy_id=d.pk) for r, ds in zip(rows, deputies_of, strict=True) for d in ds
        )
        return rows

    # opinions ----------------------------------------------------------------------------------------------

    def opinions(self, receptions: Sequence[Reception]) -> dict[str, int]:
        from django.apps import apps

        rng = self.rng
        version = notices.CURRENT_VERSION
        span = (self.today - DAY - self.first).days
        opinions: list[Opinion] = []

        def base(station: Station, deputy: Deputy | None, day: datetime.date, channel: str, **extra) -> Opinion:
            anonymous = rng.random() < 0.35
            township = self.township_of_station[station.pk]
            return Opinion(
                tracking_code=_new_code(self.codes),
                channel=channel,
                station=station,
                deputy=deputy,
                region=township,
                content=extra.pop("content", None) or self.opinion_text(station),
                name="" if anonymous else _person_name(rng),
                phone="" if anonymous or rng.random() < 0.2 else _phone(rng),
                received_on=day,
                **extra,
            )

        for _ in range(ONLINE_OPINIONS):
            station = rng.choice(self.stations)
            deputies = self.station_deputies(station)
            deputy = rng.choice(deputies) if deputies and rng.random() < 0.3 else None
            day = self.first + datetime.timedelta(days=rng.randrange(max(span, 1) + 1))
            opinions.append(
                base(station, deputy, day, Channel.ONLINE, privacy_version=version, consented_at=_aware(day, rng))
            )
        with_voters = [r for r in receptions if r.voters_received] or list(receptions)
        for _ in range(RECEPTION_OPINIONS if with_voters else 0):
            r = rng.choice(with_voters)
            township = self.township_of_station[r.station_id]
            opinions.append(
                base(r.station, None, r.date, Channel.RECEPTION, reception=r, recorded_by=self.recorder(township))
            )
        for _ in range(VISIT_OPINIONS):
            station = rng.choice(self.stations)
            deputies = self.station_deputies(station)
            day = self.first + datetime.timedelta(days=rng.randrange(max(span, 1) + 1))
            township = self.township_of_station[station.pk]
            opinions.append(
                base(
                    station,
                    rng.choice(deputies) if deputies else None,
                    day,
                    Channel.VISIT,
                    recorded_by=self.recorder(township),
                )
            )

        # Fresh work for the demo logins: new opinions in the township officer's street and for the deputy.
        fresh = max(self.today - datetime.timedelta(days=4), self.first)
        township_user, deputy_user = self.users.get("township"), self.users.get("deputy")
        if township_user is not None:
            local = [s for s in self.stations if self.township_of_station[s.pk].pk == township_user.region_id]
            for station in rng.sample(local, k=min(len(local), 4)):
                opinions.append(
                    base(station, None, fresh, Channel.ONLINE, privacy_version=version, consented_at=_aware(fresh, rng))
                )
        if deputy_user is not None and deputy_user.deputy_id:
            person = next((p for p in self.persons if p.deputy.pk == deputy_user.deputy_id), None)
            if person is not None:
                for _ in range(2):
                    opinions.append(
                        base(
                            person.group.station,
                            person.deputy,
                            fresh,
                            Channel.ONLINE,
                            privacy_version=version,
                            consented_at=_aware(fresh, rng),
                        )
                    )

        # Opinions that became problems: the activities demo's problems, voiced first by a voter.
        problem_links: list[Any] = []
        if apps.is_installed("deputyhome.activities"):
            from deputyhome.activities.models import Problem

            problems = list(
                Problem.objects.filter(date__year=self.year).select_related("region").order_by("date", "pk")
            )
            problem_links = rng.sample(problems, k=min(len(problems), 45))
        stations_in: dict[int, list[Station]] = {}
        for s in self.stations:
            stations_in.setdefault(self.township_of_station[s.pk].pk, []).append(s)
        for problem in problem_links:
            candidates = stations_in.get(problem.region_id)
            if not candidates:
                continue
            station = rng.choice(candidates)
            day = max(problem.date - datetime.timedelta(days=rng.randint(0, 5)), self.first)
            opinion = base(
                station,
                problem.deputy,
                day,
                Channel.ONLINE,
                content=problem.text,
                privacy_version=version,
                consented_at=_aware(day, rng),
            )
            opinion.problem = problem
            if problem.suggestion_id:
                opinion.status, opinion.suggestion_id = OpinionStatus.SUGGESTION, problem.suggestion_id
            else:
                opinion.status = OpinionStatus.PROBLEM
            opinions.append(opinion)

        opinions.sort(key=lambda o: (o.received_on, o.tracking_code))
        self.decide(opinions)
        Opinion.objects.bulk_create(opinions)
        merged = self.merge(opinions)
        referrals = self.forward(opinions)
        counts: dict[str, int] = {}
        for o in [*opinions, *merged]:
            counts[o.status] = counts.get(o.status, 0) + 1
        return {"total": len(opinions) + len(merged), "referrals": referrals, **counts}

    def decide(self, opinions: list[Opinion]) -> None:
        """Give each opinion not yet linked its fate: recent ones are mostly new, older ones handled."""
        rng = self.rng
        for o in opinions:
            if o.status != OpinionStatus.NEW or o.received_on >= self.today - datetime.timedelta(days=4):
                continue
            age = (self.today - o.received_on).days
            roll = rng.random()
            if (age <= 10 and roll < 0.75) or roll < 0.06:
                continue  # still new
            township = o.region.name if o.region else ""
            replier = self.recorder(o.region) if o.region else self.staff
            if roll < 0.68:
                o.status = OpinionStatus.REPLIED
                o.reply = rng.choice(REPLIES).format(township=township)
                o.replied_at = _aware(
                    min(o.received_on + datetime.timedelta(days=rng.randint(1, 9)), self.today - DAY), rng
                )
                o.replied_by = replier
            else:
                o.status = OpinionStatus.FORWARDED  # the referral is made after the rows exist

    def merge(self, opinions: list[Opinion]) -> list[Opinion]:
        """A few voters said the same thing as another at the same station a few days later."""
        rng = self.rng
        roots = [o for o in opinions if o.status in (OpinionStatus.REPLIED, OpinionStatus.FORWARDED)]
        dupes: list[Opinion] = []
        for root in rng.sample(roots, k=min(len(roots), 24)):
            day = root.received_on + datetime.timedelta(days=rng.randint(0, 4))
            if day >= self.today:
                continue
            anonymous = rng.random() < 0.5
            dupes.append(
                Opinion(
                    tracking_code=_new_code(self.codes),
                    channel=Channel.ONLINE,
                    station=root.station,
                    region=root.region,
                    content=rng.choice(DUPLICATE_PREFIXES) + root.content,
                    name="" if anonymous else _person_name(rng),
                    phone="" if anonymous else _phone(rng),
                    privacy_version=notices.CURRENT_VERSION,
                    consented_at=_aware(day, rng),
                    received_on=day,
                    status=OpinionStatus.MERGED,
                    duplicate_of=root,
                )
            )
        Opinion.objects.bulk_create(dupes)
        return dupes

    def forward(self, opinions: list[Opinion]) -> int:
        """The fast lane: a referral to a unit for each forwarded opinion; most units have answered."""
        from django.apps import apps

        forwarded = [o for o in opinions if o.status == OpinionStatus.FORWARDED]
        if not forwarded:
            return 0
        if not apps.is_installed("deputyhome.activities"):  # pragma: no cover - activities is part of the project
            for o in forwarded:
                o.status, o.reply = OpinionStatus.REPLIED, REPLIES[0].format(township=o.region.name)
            Opinion.objects.bulk_update(forwarded, ["status", "reply"])
            return 0
        from deputyhome.activities.choices import ReferralStatus
        from deputyhome.activities.models import Referral

        rng = self.rng
        units = [u for u in self.org.units if u.is_active] or list(self.org.units)
        clerks = {}
        for u in User.objects.filter(role=Role.UNIT_CLERK, unit__isnull=False).order_by("pk"):
            clerks.setdefault(u.unit_id, u)
        referrals = []
        for o in forwarded:
            unit = rng.choice(units)
            sent = o.received_on + datetime.timedelta(days=rng.randint(1, 5))
            sent = min(sent, self.today)
            answered = (self.today - sent).days > 12 and rng.random() < 0.85
            first = o.content.split("，")[0].rstrip("。")
            referrals.append(
                Referral(
                    unit=unit,
                    title=first if len(first) <= 40 else f"{first[:40]}…",
                    content=o.content,
                    region=o.region,
                    created_by=self.recorder(o.region),
                    due_on=sent + datetime.timedelta(days=21),
                    status=ReferralStatus.REPLIED if answered else ReferralStatus.OPEN,
                    reply=rng.choice(UNIT_REPLIES) if answered else "",
                    replied_on=min(sent + datetime.timedelta(days=rng.randint(3, 20)), self.today - DAY)
                    if answered
                    else None,
                    replied_by=clerks.get(unit.pk) if answered else None,
                )
            )
        Referral.objects.bulk_create(referrals)
        for o, r in zip(forwarded, referrals, strict=True):
            o.referral = r
        Opinion.objects.bulk_update(forwarded, ["referral"])
        return len(referrals)

    # pairings and stories --------------------------------------------------------------------------------

    def pairings(self, models: dict[str, Deputy]) -> tuple[int, int]:
        rng = self.rng
        rows: list[Pairing] = []
        people = {p.deputy.pk: p for p in self.persons}

        def households(deputy: Deputy, n: int, members_total: int | None) -> None:
            township = people[deputy.pk].township
            villages = self.villages_of.get(township.pk) or [None]
            sizes = [rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6]) for _ in range(n)]
            if members_total is not None:  # adjust to the article's head count
                diff = members_total - sum(sizes)
                i = 0
                while diff:
                    step = 1 if diff > 0 else -1
                    if 1 <= sizes[i % n] + step <= 8:
                        sizes[i % n] += step
                        diff -= step
                    i += 1
            for size in sizes:
                rows.append(
                    Pairing(
                        deputy=deputy,
                        household=_person_name(rng),
                        village=rng.choice(villages),
                        members=size,
                        since=datetime.date(
                            rng.choice([2022, 2022, 2023, 2024]), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                        notes=rng.choice(PAIRING_NOTES),
                    )
                )

        for name, deputy in models.items():
            info = MODEL_DEPUTIES[name]
            households(deputy, info["households"], info["members"])
        others = [p for p in self.persons if p.deputy.pk not in {d.pk for d in models.values()}]
        for person in rng.sample(others, k=min(len(others), 120)):
            households(person.deputy, rng.randint(2, 6), None)
        Pairing.objects.bulk_create(rows)

        contacts: list[PairingContact] = []
        for pairing in rows:
            start = max(pairing.since, self.first)
            span = (self.today - DAY - start).days
            for _ in range(rng.choice([0, 1, 1, 2, 3]) if span > 0 else 0):
                contacts.append(
                    PairingContact(
                        pairing=pairing,
                        date=start + datetime.timedelta(days=rng.randrange(span + 1)),
                        way=rng.choice(
                            [ContactWay.VISIT, ContactWay.VISIT, ContactWay.PHONE, ContactWay.WECHAT, ContactWay.HELP]
                        ),
                        notes=rng.choice(CONTACT_NOTES),
                        recorded_by=self.staff,
                    )
                )
        PairingContact.objects.bulk_create(contacts)
        return len(rows), len(contacts)

    def stories(self, models: dict[str, Deputy]) -> int:
        rows = []
        for n, (name, deputy) in enumerate(models.items()):
            info = MODEL_DEPUTIES[name]
            rows.append(
                ModelStory(
                    deputy=deputy,
                    title=info["title"],
                    text=info["text"],
                    figures=info["figures"],
                    is_published=True,
                    published_at=_aware(max(self.first, self.today - datetime.timedelta(days=60 - 10 * n)), self.rng),
                    created_by=self.staff,
                )
            )
        ModelStory.objects.bulk_create(rows)
        return len(rows)


def build(ctx: Any) -> dict[str, int]:
    b = _Builder(ctx)
    models = b.model_deputies()
    slots, weekly = b.schedules()
    receptions = b.receptions(weekly)
    opinions = b.opinions(receptions)
    pairings, contacts = b.pairings(models)
    stories = b.stories(models)
    return {
        "接待安排": len(slots),
        "接待选民记录": len(receptions),
        "接待选民人次": sum(r.voters_received for r in receptions),
        "群众意见": opinions["total"],
        "群众意见·已答复": opinions.get(OpinionStatus.REPLIED, 0),
        "群众意见·已转交承办单位": opinions.get(OpinionStatus.FORWARDED, 0),
        "群众意见·已合并": opinions.get(OpinionStatus.MERGED, 0),
        "群众意见·转为问题或建议": opinions.get(OpinionStatus.PROBLEM, 0) + opinions.get(OpinionStatus.SUGGESTION, 0),
        "群众意见·待处理": opinions.get(OpinionStatus.NEW, 0),
        "结对联系户": pairings,
        "结对联系记录": contacts,
        "代表典型": stories,
    }
