"""The sessions' side of the province: who attended each session (a row per deputy of the congress and session,
about 550,000 at scale 1), the delegations of the county-level and higher congresses with their members, and the
motions (议案) filed at each session, with their signers and a timeline."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from deputyhome.motions.choices import (
    AttendanceStatus,
    Decision,
    DelegationRole,
    LeaveState,
    MotionAction,
    MotionKind,
    MotionState,
)
from deputyhome.motions.models import (
    DEFAULT_MIN_SIGNERS,
    DEFAULT_MIN_SIGNERS_ABOVE,
    Delegation,
    DelegationMember,
    Motion,
    MotionEvent,
    MotionSigner,
    SessionAttendance,
)
from deputyhome.organisation.choices import CongressLevel

from ..clock import TZ
from .bulk import insert, insert_count
from .people import People, Person, congress_for
from .regions import Org

# Motions a session, by the congress's level (a township congress has one in two years); the number of congresses
# follows the scale.
MOTIONS = {CongressLevel.PROVINCE: 30, CongressLevel.PREFECTURE: 12, CongressLevel.CITY: 6, CongressLevel.TOWNSHIP: 0.5}
SUBJECTS = [
    "关于制定农村生活垃圾治理条例的议案",
    "关于加强饮用水水源地保护的议案",
    "关于修改乡村旅游促进条例的议案",
    "关于制定茶产业发展促进条例的议案",
    "关于加强山区道路安全管理的议案",
]
# The states of a decided motion, with their share.
DECIDED = [(MotionState.REPORTED, 0.45), (MotionState.ON_AGENDA, 0.15), (MotionState.NOT_ON_AGENDA, 0.2)]
DECIDED += [(MotionState.REFUSED, 0.1), (MotionState.WITHDRAWN, 0.1)]


def _members(org: Org, people: People) -> dict[int, list[Person]]:
    """The deputies of each congress, by the congress's key."""
    members: dict[int, list[Person]] = {}
    for person in people.persons:
        for level in person.levels:
            members.setdefault(congress_for(org, person, level).pk, []).append(person)
    return members


def _attendance(org: Org, members: dict[int, list[Person]], rng: random.Random, staff) -> Iterator[SessionAttendance]:
    for (congress_id, _year), session in org.sessions.items():
        at = datetime.datetime.combine(session.start_date, datetime.time(8), tzinfo=TZ)
        for person in members.get(congress_id, []):
            r = rng.random()
            status = (
                AttendanceStatus.PRESENT
                if r < 0.93
                else AttendanceStatus.EXCUSED
                if r < 0.98
                else AttendanceStatus.ABSENT
            )
            yield SessionAttendance(
                session=session,
                deputy_id=person.pk,
                status=status,
                reason="因病请假" if status == AttendanceStatus.EXCUSED else "",
                leave_state=LeaveState.APPROVED if status == AttendanceStatus.EXCUSED else "",
                recorded_by=staff,
                recorded_at=at,
                created_at=at,
                updated_at=at,
            )


# The length of the region code one level below a region's (the province's prefectures, a county's townships).
BELOW = {2: 4, 4: 6, 6: 9}


def _delegations(org: Org, members: dict[int, list[Person]]) -> tuple[dict[int, dict[str, Delegation]], int]:
    """A delegation a session of every congress above the townships, one for each region right below it: the
    delegations of each session by region code, and the members written."""
    code_of = {region.pk: code for code, region in org.by_code.items()}
    parts: dict[int, dict[str, list[Person]]] = {}
    for congress in org.congress_of.values():
        if congress.level != CongressLevel.TOWNSHIP:
            below = BELOW[len(code_of[congress.region_id])]
            for person in members.get(congress.pk, []):
                parts.setdefault(congress.pk, {}).setdefault(person.township.code[:below], []).append(person)
    keys = [
        (session, code)
        for (congress_id, _year), session in org.sessions.items()
        for code in sorted(parts.get(congress_id, {}))
    ]
    created = insert(
        Delegation,
        (
            Delegation(
                session=session,
                name=f"{org.by_code[code].name}代表团",
                region=org.by_code[code] if len(code) == 9 else None,  # a township's, for scope
            )
            for session, code in keys
        ),
    )
    by_session: dict[int, dict[str, Delegation]] = {}
    for delegation, (session, code) in zip(created, keys, strict=True):
        by_session.setdefault(session.pk, {})[code] = delegation

    def member_rows() -> Iterator[DelegationMember]:
        for delegation, (session, code) in zip(created, keys, strict=True):
            for k, person in enumerate(parts[session.congress_id][code]):
                role = DelegationRole.HEAD if k == 0 else DelegationRole.VICE_HEAD if k == 1 else DelegationRole.MEMBER
                yield DelegationMember(
                    delegation=delegation, deputy_id=person.pk, role=role, start_date=session.start_date
                )

    return by_session, insert_count(DelegationMember, member_rows())


def build_motions(org: Org, people: People, rng: random.Random, users) -> dict:
    staff = users["bench_city"]
    members = _members(org, people)
    attendance = insert_count(SessionAttendance, _attendance(org, members, rng, staff))
    delegations, delegation_members = _delegations(org, members)
    level_of = {c.pk: c.level for c in org.congress_of.values()}
    plans: list[tuple[Motion, list[Person]]] = []
    for (congress_id, _year), session in org.sessions.items():
        level = level_of[congress_id]
        deputies = members.get(congress_id, [])
        expected = MOTIONS[level]
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        need = DEFAULT_MIN_SIGNERS.get(level, DEFAULT_MIN_SIGNERS_ABOVE)
        if len(deputies) < need:
            continue
        filed_at = datetime.datetime.combine(session.start_date, datetime.time(10), tzinfo=TZ)
        for number in range(1, count + 1):
            signers = rng.sample(deputies, need)
            lead = signers[0]
            state = rng.choices([s for s, _w in DECIDED], weights=[w for _s, w in DECIDED])[0]
            decided = state in (MotionState.REPORTED, MotionState.ON_AGENDA, MotionState.NOT_ON_AGENDA)
            delegation = delegations.get(session.pk, {})
            plans.append(
                (
                    Motion(
                        session=session,
                        kind=MotionKind.JOINT,
                        delegation=next((d for c, d in delegation.items() if lead.township.code.startswith(c)), None),
                        lead_id=lead.pk,
                        region=lead.township,
                        created_by=staff,
                        number=number if state != MotionState.WITHDRAWN else None,
                        year=session.start_date.year,
                        title=f"{rng.choice(SUBJECTS)}（{number}）",
                        grounds="群众反映强烈，现行规定已不适应实际。",
                        plan="建议制定（修改）相关地方性法规。",
                        state=state,
                        filed_at=filed_at,
                        checked_on=session.start_date if state != MotionState.WITHDRAWN else None,
                        refusal="不属于本级人大职权范围。" if state == MotionState.REFUSED else "",
                        decision={
                            MotionState.REPORTED: Decision.ON_AGENDA,
                            MotionState.ON_AGENDA: Decision.ON_AGENDA,
                            MotionState.NOT_ON_AGENDA: Decision.NOT_ON_AGENDA,
                        }.get(state, ""),
                        decided_on=session.end_date if decided else None,
                        committee="法制委员会" if state in (MotionState.REPORTED, MotionState.ON_AGENDA) else "",
                        report_due_on=session.end_date + datetime.timedelta(days=182) if decided else None,
                        reported_on=session.end_date + datetime.timedelta(days=150)
                        if state == MotionState.REPORTED
                        else None,
                        report="经审议，建议纳入立法调研项目。" if state == MotionState.REPORTED else "",
                        created_at=filed_at,
                        updated_at=filed_at,
                    ),
                    signers,
                )
            )
    created = insert(Motion, [m for m, _s in plans])

    def signer_rows() -> Iterator[MotionSigner]:
        for motion, (_m, signers) in zip(created, plans, strict=True):
            for k, person in enumerate(signers):
                yield MotionSigner(motion=motion, deputy_id=person.pk, is_lead=k == 0, confirmed_at=motion.filed_at)

    def events() -> Iterator[MotionEvent]:
        for motion in created:
            yield MotionEvent(
                motion=motion,
                at=motion.filed_at,
                actor=staff,
                action=MotionAction.FILE,
                from_state=MotionState.DRAFT,
                to_state=MotionState.FILED,
            )

    return {
        "session_attendance": attendance,
        "delegations": sum(len(d) for d in delegations.values()),
        "delegation_members": delegation_members,
        "motions": len(created),
        "motion_signers": insert_count(MotionSigner, signer_rows()),
        "motion_events": insert_count(MotionEvent, events()),
    }
