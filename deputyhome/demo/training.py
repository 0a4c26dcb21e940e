"""Demo training for the current year, as in the article ("培训聚能，让代表能'回家'").

- an approved city training plan (purpose, content, forms, safeguards, budget) and one per
  township that runs its own sessions;
- initial training (初任培训) at city level for the city deputies, with an on-site teaching
  visit to 白杨坪镇洞下槽村, and at township level in every township that elects a congress;
  the few who were excused attend a make-up class, so coverage of new deputies is 100%;
- exactly three special-topic sessions (财政监督, 代表行动, 党代会精神) for members of the
  standing committee;
- meeting-as-training (以会代训) before inspections and research, and an expert lecture with
  group discussion;
- 《新时代人大代表履职手册》 to every new deputy, 《中国人大》 and a file collection at sessions;
- a session today in 六角亭街道, sign-in open, to which the `deputy` login is invited: its code
  is printed in the demo summary.

Dates are spread between 1 January and today, so everything but today's session is over.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from deputyhome.accounts.models import User
from deputyhome.organisation.choices import CongressLevel
from deputyhome.training.choices import AttendanceStatus, OrganiserLevel, PlanStatus, SessionKind, SignInWay
from deputyhome.training.models import Attendance, Material, MaterialDistribution, TrainingPlan, TrainingSession

from .accounts import PERSONA_GROUP, PERSONA_TOWNSHIP

C, T = CongressLevel.CITY, CongressLevel.TOWNSHIP
PARTY_SCHOOL = "中共恩施市委党校"
ONSITE_PLACE = "白杨坪镇洞下槽村"
HANDBOOK = "《新时代人大代表履职手册》"
MAGAZINE = "《中国人大》"
FILES = "省州市人大工作相关文件资料汇编"
LEAVE_REASONS = ["外出务工", "住院治疗", "参加村（社区）防汛值班", "公务出差", "家中有事", "参加县级以上会议"]
COMMITTEE_SIZE = 35  # standing committee members, who take the special-topic training
SPECIAL_TOPICS = [
    ("财政监督专题培训", "市财政局", "预算审查监督、国有资产管理情况报告的审议要点"),
    ("代表行动专题培训", "市人大常委会代表工作委员会", "“察民情、聚民智、惠民生”代表行动的组织与成效"),
    ("党代会精神专题培训", "市委宣讲团", "学习贯彻党代会精神，做好新时代人大工作"),
]
MEETINGS = [
    ("视察优化营商环境工作前以会代训", "学习《优化营商环境条例》和有关法规"),
    ("调研州城饮用水源地环境保护前以会代训", "学习《中华人民共和国水污染防治法》"),
    ("执法检查未成年人保护工作前以会代训", "学习《中华人民共和国未成年人保护法》"),
]


class _Days:
    """Dates between 1 January and today; fractions of the elapsed year keep them in order."""

    def __init__(self, today: datetime.date) -> None:
        self.first = datetime.date(today.year, 1, 1)
        self.span = max((today - self.first).days - 1, 0)  # the last past day is yesterday

    def at(self, fraction: float) -> datetime.date:
        return self.first + datetime.timedelta(days=round(self.span * fraction))


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def build(ctx) -> dict[str, Any]:
    rng, today, org = ctx.rng, ctx.today, ctx.org
    year = today.year
    days = _Days(today)
    persons = ctx.deputies.persons
    city_deputies = [p.deputy for p in persons if C in p.levels]
    township_by_name = {t.name: t for t in org.townships}
    codes: set[str] = set()

    def code() -> str:
        while True:
            value = f"{rng.randrange(1_000_000):06d}"
            if value not in codes:
                codes.add(value)
                return value

    # Plans --------------------------------------------------------------------------------------------
    city_plan = TrainingPlan.objects.create(
        year=year,
        level=OrganiserLevel.CITY,
        title=f"恩施市人大常委会{year}年人大代表培训方案",
        purpose="提高人大代表和人大干部的履职能力和水平，让代表能“回家”、会履职。",
        content="宪法和代表法等法律法规；人大代表的权利和义务；代表建议的提出与督办；"
        "财政监督、代表行动、党代会精神等专题；代表之家、代表联络站建设的经验做法。",
        forms="分层培训（市乡两级分别开展初任培训）；集中培训与以会代训相结合；理论教学与现场教学相结合；"
        "专家授课与学员交流相结合；集中培训与个人自学相结合。",
        safeguards="常委会领导加强与市委的沟通联系，将人大代表培训纳入市委党校主体班内容；"
        "培训经费列入财政预算；代工委负责组织实施和考勤。",
        budget=Decimal("200000.00"),
        status=PlanStatus.APPROVED,
    )
    sessions: list[TrainingSession] = []
    rows: list[Attendance] = []
    excused_initial: list = []

    def session(
        title: str, kind: str, day: datetime.date, time: str, hours: str, *, plan=city_plan, region=None, **fields
    ) -> TrainingSession:
        """A session on `day` from `time` ("09:00-12:00"), of the city or, with `region`, of a township."""
        start, end = (datetime.time.fromisoformat(t) for t in time.split("-"))
        level = OrganiserLevel.CITY if region is None else OrganiserLevel.TOWNSHIP
        s = TrainingSession(
            signin_code=code(),
            plan=plan,
            title=title,
            kind=kind,
            level=level,
            region=region,
            date=day,
            start_time=start,
            end_time=end,
            hours=Decimal(hours),
            **fields,
        )
        sessions.append(s)
        return s

    def attend(s: TrainingSession, deputies, *, leave: float = 0.0, absent: float = 0.0) -> list:
        """Invite `deputies`; most are present (signed in before the start), a share excused or absent.
        Returns those excused."""
        excused = []
        for d in deputies:
            roll = rng.random()
            if roll < leave:
                rows.append(
                    Attendance(
                        session=s, deputy=d, status=AttendanceStatus.EXCUSED, excuse_reason=rng.choice(LEAVE_REASONS)
                    )
                )
                excused.append(d)
            elif roll < leave + absent:
                rows.append(Attendance(session=s, deputy=d, status=AttendanceStatus.ABSENT))
            else:
                way = SignInWay.SELF if rng.random() < 0.7 else SignInWay.STAFF
                at = _at(s.date, s.start_time) - datetime.timedelta(minutes=rng.randrange(5, 40))
                rows.append(
                    Attendance(session=s, deputy=d, status=AttendanceStatus.PRESENT, signed_in_at=at, signin_way=way)
                )
        return excused

    # Initial training at city level, with the on-site visit to 洞下槽村 --------------------------------------
    city_initial = session(
        "恩施市第十一届人大代表初任培训班（市委党校主体班）",
        SessionKind.INITIAL,
        days.at(0.12),
        "09:00-17:30",
        "12",
        lecturer="市委党校教师、市人大常委会领导",
        place=PARTY_SCHOOL,
        description="宪法和代表法、人大代表的权利和义务、代表建议的提出与办理。",
    )
    excused_initial += attend(city_initial, city_deputies, leave=0.02)
    onsite = session(
        "初任培训现场教学：洞下槽村代表之家、代表联络站建设",
        SessionKind.ONSITE,
        days.at(0.12) + datetime.timedelta(days=1) if days.span else days.at(0.12),
        "09:00-12:00",
        "3",
        lecturer="白杨坪镇人大主席团",
        place=ONSITE_PLACE,
        description="考察学习“代表之家”“代表联络站”建设工作情况，现场感受家站工作的好经验、好做法。",
    )
    excused_ids = {d.pk for d in excused_initial}
    attend(onsite, [d for d in city_deputies if d.pk not in excused_ids])

    # Initial training in every township with a congress of its own -------------------------------------
    plans = [city_plan]
    township_plans: dict[int, TrainingPlan] = {}

    def township_plan(township) -> TrainingPlan:
        if township.pk not in township_plans:
            township_plans[township.pk] = TrainingPlan(
                year=year,
                level=OrganiserLevel.TOWNSHIP,
                region=township,
                title=f"{township.name}{year}年人大代表培训方案",
                purpose="提高乡镇人大代表依法履职能力。",
                content="代表法、乡镇人大工作、代表小组活动和联系选民。",
                forms="初任培训、以会代训、个人自学。",
                safeguards="经费列入乡镇财政预算，乡镇人大主席团负责组织。",
                budget=Decimal(rng.randrange(10, 31) * 1000),
                status=PlanStatus.APPROVED,
            )
        return township_plans[township.pk]

    for i, township in enumerate(org.townships):
        if township.pk not in org.township_congresses:
            continue
        members = [p.deputy for p in persons if T in p.levels and p.township is township]
        if not members:
            continue
        congress = org.township_congresses[township.pk]
        s = session(
            f"{congress.name}代表初任培训",
            SessionKind.INITIAL,
            days.at(0.16 + 0.01 * (i % 10)),
            "09:00-16:30",
            "6",
            plan=township_plan(township),
            region=township,
            lecturer=f"{township.name}人大主席团",
            place=f"{township.name}人大代表之家",
        )
        excused_initial += attend(s, members, leave=0.015)

    # The make-up class for everyone excused from initial training --------------------------------------------
    makeup = session(
        "人大代表初任培训补训班",
        SessionKind.INITIAL,
        days.at(0.4),
        "09:00-16:30",
        "6",
        lecturer="市人大常委会代表工作委员会",
        place="市人大常委会机关会议室",
        description="为因故请假未参加初任培训的代表补训，确保初任培训全覆盖。",
    )
    unique_excused = list({d.pk: d for d in excused_initial}.values())
    attend(makeup, unique_excused)

    # Three special-topic sessions for members of the standing committee --------------------------------------
    committee = sorted(rng.sample(city_deputies, COMMITTEE_SIZE), key=lambda d: d.pk)
    special = []
    for (title, lecturer, content), fraction in zip(SPECIAL_TOPICS, (0.25, 0.5, 0.75), strict=True):
        s = session(
            title,
            SessionKind.SPECIAL,
            days.at(fraction),
            "14:30-17:30",
            "3",
            lecturer=lecturer,
            place="市人大常委会机关会议室",
            description=f"常委会组成人员集体学习：{content}。",
        )
        attend(s, committee, leave=0.06, absent=0.03)
        special.append(s)

    # Meeting-as-training before inspections and research -----------------------------------------------------
    for (title, content), fraction in zip(MEETINGS, (0.3, 0.55, 0.8), strict=True):
        groups = rng.sample(org.groups, 3)
        s = session(
            title,
            SessionKind.MEETING,
            days.at(fraction),
            "08:30-10:00",
            "1.5",
            lecturer="市人大常委会相关工作委员会",
            place="市人大常委会机关会议室",
            description=f"{content}，为开展活动提供理论支持。",
        )
        members = [p.deputy for p in persons if p.group in groups]
        attend(s, members, leave=0.05, absent=0.03)
    baiyang = township_by_name.get("白杨坪镇")
    if baiyang is not None:
        s = session(
            "代表小组活动前以会代训：学习《中华人民共和国乡村振兴促进法》",
            SessionKind.MEETING,
            days.at(0.6),
            "09:00-10:30",
            "1.5",
            plan=township_plan(baiyang),
            region=baiyang,
            lecturer="白杨坪镇人大主席团",
            place="洞下槽村人大代表联络站",
        )
        attend(s, [p.deputy for p in persons if p.township is baiyang][:40], leave=0.05, absent=0.02)

    # An expert lecture with group discussion -----------------------------------------------------------------
    lecture = session(
        "专家授课：如何提出高质量的代表建议",
        SessionKind.LECTURE,
        days.at(0.65),
        "09:00-12:00",
        "3",
        lecturer="湖北省人大常委会代表工作委员会特邀专家",
        place=PARTY_SCHOOL,
        description="专家授课后，学员分组讨论并交流发言。",
    )
    attend(lecture, sorted(rng.sample(city_deputies, 60), key=lambda d: d.pk), leave=0.05)

    # Today's session in the persona's township, sign-in open -------------------------------------------------
    liujiaoting = township_by_name[PERSONA_TOWNSHIP]
    group = next(g for g in org.groups if g.name == PERSONA_GROUP)
    today_session = session(
        f"{liujiaoting.name}人大代表学员交流会",
        SessionKind.EXCHANGE,
        today,
        "14:30-16:30",
        "2",
        plan=township_plan(liujiaoting),
        region=liujiaoting,
        lecturer="六角亭街道人大工委",
        place=f"{liujiaoting.name}人大代表之家",
        description="交流履职体会：如何接待选民、收集社情民意。",
        signin_open=True,
    )
    invited = [p.deputy for p in persons if p.group is group]
    persona = User.objects.filter(username="deputy").values_list("deputy_id", flat=True).first()
    assert persona in {d.pk for d in invited}, "the deputy login must be invited to today's session"
    rows.extend(Attendance(session=today_session, deputy=d) for d in invited)

    plans += list(township_plans.values())
    TrainingPlan.objects.bulk_create(plans[1:])
    TrainingSession.objects.bulk_create(sessions)
    Attendance.objects.bulk_create(rows)

    # Materials ------------------------------------------------------------------------------------------------
    handbook, magazine, files = Material.objects.bulk_create(
        [
            Material(title=HANDBOOK, publisher="中国民主法制出版社", description="供代表自学，掌握履职的基本要求。"),
            Material(title=MAGAZINE, publisher="中国人大杂志社", description="全国人大常委会机关刊物。"),
            Material(title=FILES, publisher="恩施市人大常委会办公室", description="省、州、市人大工作相关文件。"),
        ]
    )
    initial_of = {}  # each new deputy's first initial session: where they got the handbook
    for a in rows:
        if a.session.kind == SessionKind.INITIAL and a.status == AttendanceStatus.PRESENT:
            initial_of.setdefault(a.deputy_id, a.session)
    handouts = [
        MaterialDistribution(material=handbook, deputy_id=deputy_id, session=s, date=s.date, quantity=1)
        for deputy_id, s in initial_of.items()
    ]
    present_at: dict[int, int] = {}
    for a in rows:
        if a.status == AttendanceStatus.PRESENT:
            present_at[a.session.pk] = present_at.get(a.session.pk, 0) + 1
    for s in [city_initial, *special]:
        handouts.append(MaterialDistribution(material=magazine, session=s, date=s.date, quantity=present_at[s.pk]))
    handouts.append(
        MaterialDistribution(
            material=files, session=city_initial, date=city_initial.date, quantity=present_at[city_initial.pk]
        )
    )
    MaterialDistribution.objects.bulk_create(handouts)

    return {
        "培训方案": len(plans),
        "培训（期）": len(sessions),
        "其中专题培训": len(special),
        "培训出勤记录": len(rows),
        "发放学习资料（份）": sum(h.quantity for h in handouts),
        "今日培训签到码": f"{today_session.signin_code}（{today_session.title}；以 deputy 登录，打开“培训签到”输入）",
    }
