"""Demo duty records: this year's points scheme and reports to voters.

Duty records and points themselves are computed from the other builders' data (training,
activities, receptions, suggestions), so this builder, which runs last, adds only what the
records app alone keeps.
"""

from __future__ import annotations

import datetime

from deputyhome.organisation.choices import CongressLevel
from deputyhome.records.choices import VoterReportStatus
from deputyhome.records.models import PointsItem, PointsScheme, VoterReport
from deputyhome.records.services import default_points_items

EXCUSE_REASONS = ["因公出差", "身体原因住院治疗", "家中有急事", "参加上级单位会议", "外出务工未能返回"]
SUMMARY = (
    "{name}代表在{station}向选民报告了一年来的履职情况：参加市人大会议和代表小组活动，"
    "围绕{topic}开展调研走访，提出建议并跟踪办理。选民代表进行了现场提问和满意度测评。"
)
TOPICS = [
    "农村人居环境整治",
    "茶旅产业融合发展",
    "土豆产业发展",
    "老城文旅振兴",
    "基层治理",
    "道路交通安全",
    "饮用水源保护",
]


def build(ctx) -> dict[str, int]:
    rng, today = ctx.rng, ctx.today
    year = today.year
    schemes = PointsScheme.objects.bulk_create([PointsScheme(year=year - 1), PointsScheme(year=year)])
    PointsItem.objects.bulk_create(item for scheme in schemes for item in default_points_items(scheme))

    # Attendance at this year's session is recorded by the suggestions builder (motions app). The draws that
    # once chose the absentees here are still made, so that the reports to voters stay as they were.
    session = next(
        (s for s in ctx.org.sessions if s.start_date.year == year and s.congress.level == CongressLevel.CITY), None
    )
    if session is not None and session.start_date <= today:
        city_deputies = [p.deputy for p in ctx.deputies.persons if CongressLevel.CITY in p.levels]
        chosen = rng.sample(city_deputies, k=min(10, len(city_deputies)))
        for _ in chosen[2:]:
            rng.choice(EXCUSE_REASONS)

    reports = _voter_reports(ctx, year)
    VoterReport.objects.bulk_create(reports)
    return {
        "履职积分办法": len(schemes),
        "向选民述职": len(reports),
    }


def _voter_reports(ctx, year: int) -> list[VoterReport]:
    """One or two held reports per group this year, some planned in the coming weeks, one cancelled."""
    rng, today = ctx.rng, ctx.today
    staff = next(u for u in _users(ctx) if u.username == "city")
    first = datetime.date(year, 3, 1)
    last_held = today - datetime.timedelta(days=3)
    by_group: dict[int, list] = {}
    for person in ctx.deputies.persons:
        by_group.setdefault(person.group.pk, []).append(person)
    out = []
    for members in by_group.values():
        station = members[0].group.station
        speakers = rng.sample(members, k=min(len(members), rng.choice([1, 2, 2])))
        for n, person in enumerate(speakers):
            if last_held > first and n < len(speakers) - (1 if rng.random() < 0.3 else 0):
                date = first + datetime.timedelta(days=rng.randrange((last_held - first).days + 1))
                present = rng.randint(25, 90)
                voting = present - rng.randint(0, 5)
                dissatisfied = rng.choice([0, 0, 0, 1, 2])
                basic = rng.randint(0, max(1, voting // 6))
                satisfied = max(voting - basic - dissatisfied, 0)
                out.append(
                    VoterReport(
                        deputy=person.deputy,
                        station=station,
                        date=date,
                        status=VoterReportStatus.HELD,
                        voters_present=present,
                        satisfied=satisfied,
                        basically_satisfied=basic,
                        dissatisfied=dissatisfied,
                        summary=SUMMARY.format(name=person.deputy.name, station=station.name, topic=rng.choice(TOPICS)),
                        created_by=staff,
                    )
                )
            else:
                date = today + datetime.timedelta(days=rng.randint(5, 40))
                cancelled = rng.random() < 0.1
                out.append(
                    VoterReport(
                        deputy=person.deputy,
                        station=station,
                        date=date,
                        status=VoterReportStatus.CANCELLED if cancelled else VoterReportStatus.PLANNED,
                        summary="因天气原因取消，另行安排。" if cancelled else "",
                        created_by=staff,
                    )
                )
    return out


def _users(ctx):
    from deputyhome.accounts.models import User

    return User.objects.filter(username__in=[login.username for login in ctx.logins])
