"""The motion register counts signers only for the page's motions: the same queries at 5 and 50 motions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputyhome.core.tests.reading import queries
from deputyhome.motions import selectors
from deputyhome.motions.models import Motion, MotionSigner
from deputyhome.testing import register_rows

pytestmark = pytest.mark.django_db


def _clone(motion: Motion, n: int, signers, start: int = 0) -> None:
    now = timezone.now()
    fields = {f.attname: getattr(motion, f.attname) for f in Motion._meta.concrete_fields if not f.primary_key}
    copies = Motion.objects.bulk_create(
        [Motion(**{**fields, "number": 1000 + start + i, "title": f"批量议案{start + i}"}) for i in range(n)]
    )
    MotionSigner.objects.bulk_create(
        [
            MotionSigner(motion=m, deputy=d, confirmed_at=now if k else None)
            for m in copies
            for k, d in enumerate(signers)
        ]
    )


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("motions:list")).status_code == 200
    return len(ctx.captured_queries)


def test_the_register_runs_the_same_queries_at_5_and_50_motions(cg, client):
    from .conftest import at, joint_motion

    with at(9):
        motion, cosigners = joint_motion(cg, 10)
    client.force_login(cg.personas["city"])
    _clone(motion, 4, cosigners)
    client.get(reverse("motions:list"))  # warm the session
    few = _queries(client)
    _clone(motion, 45, cosigners, start=4)
    assert Motion.objects.count() == 50 and MotionSigner.objects.count() > 400
    assert _queries(client) == few


def test_the_register_shows_the_page_motions_own_signers(cg, client):
    from .conftest import at, joint_motion

    with at(9):
        motion, cosigners = joint_motion(cg, 10)
    MotionSigner.objects.filter(motion=motion, deputy=cosigners[0]).update(confirmed_at=timezone.now())
    MotionSigner.objects.filter(motion=motion, deputy=cosigners[1]).update(withdrawn_at=timezone.now())
    expected = selectors.motion_list(user=cg.personas["city"]).get(pk=motion.pk)
    client.force_login(cg.personas["city"])
    html = client.get(reverse("motions:list")).content.decode()
    assert f"{expected.confirmed_count}/{expected.signer_count}" in html.split(motion.title, 1)[1].split("</tr>")[0]


def _rows(client, url: str) -> list[list[str]]:
    return register_rows(client.get(url).content.decode())


def test_the_session_list_counts_each_sessions_delegations_and_filed_motions(cg, client):
    """Counted per session by subqueries (a join of both multiplied delegations by motions): each session its own
    figures, a draft not counted, and the register sorts by them."""
    from deputyhome.motions import services
    from deputyhome.motions.models import Delegation

    from .conftest import at, joint_motion

    for name in ("第一代表团", "第二代表团"):
        Delegation.objects.create(session=cg.session, name=name)
    with at(9):
        joint_motion(cg, 10)
        joint_motion(cg, 10, title="关于加强农村公路养护的议案")
        services.motion_create(
            session=cg.session,
            lead=cg.deputies[0],
            data={"title": "草稿议案", "grounds": "", "plan": ""},
            cosigners=[],
            actor=cg.users[cg.deputies[0].pk],
        )
    client.force_login(cg.personas["city"])
    url = reverse("motions:session_list")
    by_name = {row[0]: row[-2:] for row in _rows(client, url)}
    assert by_name[cg.session.name] == ["2", "2"]
    assert by_name[cg.township_session.name] == ["0", "0"]
    for sort in ("-motion_count", "-delegation_count"):
        assert _rows(client, f"{url}?sort={sort}")[0][0] == cg.session.name
        assert _rows(client, f"{url}?sort={sort.lstrip('-')}")[-1][0] == cg.session.name


def test_the_session_list_runs_the_same_queries_at_2_and_40_sessions(cg, client):
    from deputyhome.organisation.models import Session

    url = reverse("motions:session_list")
    client.force_login(cg.personas["city"])
    client.get(url)
    few = queries(client, url)
    Session.objects.bulk_create(
        Session(
            congress=cg.session.congress,
            number=100 + i,
            name=f"第{100 + i}次会议",
            start_date=cg.session.start_date,
            end_date=cg.session.end_date,
        )
        for i in range(38)
    )
    assert queries(client, url) == few
