"""待办: the home page counts each role's work queues, and every count follows the suggestion's course.

The course is driven through the real services; at each stage the home page of each role is read.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from deputyhome.suggestions import services as sv
from deputyhome.testing import draft_cosigned_suggestion, draft_suggestion, home_tiles, reply_to

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d):
    return time_machine.travel(datetime.datetime(y, m, d, 10, 0, tzinfo=TZ), tick=False)


@pytest.mark.django_db
def test_each_role_sees_its_queue_move_along_the_course(client, city, people, session, categories):
    cats, classes = categories
    deputy, cos, staff, unit = people["deputy"], people["cosigner"], people["city"], people["unit"]
    with at(2026, 1, 11):
        s = draft_cosigned_suggestion(people, session)
        assert home_tiles(client, deputy)["草稿未提交"] == 1
        assert home_tiles(client, cos)["待我确认联名"] == 0  # a draft is nobody's business yet
        sv.suggestion_submit(suggestion=s, actor=deputy)
        assert home_tiles(client, deputy)["草稿未提交"] == 0
        assert home_tiles(client, cos)["待我确认联名"] == 1
        assert home_tiles(client, staff)["待审查"] == 1
        sv.suggestion_confirm_cosign(suggestion=s, actor=cos)
        assert home_tiles(client, cos)["待我确认联名"] == 0
        sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=staff)
        desk = home_tiles(client, staff)
        assert desk["待审查"] == 0 and desk["待交办（含单位申请退回）"] == 1
    with at(2026, 1, 20):
        sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, co_units=[], requirements="限期答复", actor=staff)
        assert home_tiles(client, unit)["新交办（待签收）"] == 1
        assert home_tiles(client, people["unit_b"])["新交办（待签收）"] == 0  # another unit's inbox
    with at(2026, 4, 21):  # due 04-20, not yet received or replied: overdue for the unit and the committee
        assert home_tiles(client, unit)["已逾期"] == 1
        assert home_tiles(client, staff)["已逾期"] == 1
        assert home_tiles(client, people["supervisor"])["已逾期"] == 1
        sv.suggestion_receive(suggestion=s, actor=unit)
        sv.suggestion_consult(suggestion=s, date=datetime.date(2026, 4, 21), way="phone", notes="电话沟通", actor=unit)
        reply_to(s, unit, classes["A"], text="已列入计划", publishable=True)
        assert home_tiles(client, unit)["已逾期"] == 0
        assert home_tiles(client, staff)["待审核答复"] == 1
        sv.suggestion_review_reply(suggestion=s, accept=True, note="", actor=staff)
        assert home_tiles(client, deputy)["答复待我评价"] == 1
        assert home_tiles(client, cos)["答复待我评价"] == 1
        assert home_tiles(client, people["group"])["答复待我评价"] == 0  # a deputy who did not sign it
        sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=deputy)
        assert home_tiles(client, deputy)["答复待我评价"] == 0  # answered, even though the co-signer has not yet
        assert home_tiles(client, cos)["答复待我评价"] == 1


@pytest.mark.django_db
def test_returned_suggestion_waits_for_its_author(client, people, session):
    deputy, staff = people["deputy"], people["city"]
    s = draft_suggestion(
        deputy, "关于增设公交站台的建议", situation="站台远", reasons="出行不便", proposals="增设站台", session=session
    )
    sv.suggestion_submit(suggestion=s, actor=deputy)
    sv.suggestion_return(suggestion=s, reason="personal", note="请补充具体地点", actor=staff)
    assert home_tiles(client, deputy)["被退回待修改"] == 1
    client.force_login(deputy)
    todo = client.get(reverse("suggestions:todo")).content.decode()
    assert 'id="returned"' in todo and "关于增设公交站台的建议" in todo


@pytest.mark.django_db
def test_tiles_link_to_their_desk_section(client, people):
    client.force_login(people["unit"])
    html = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("suggestions:inbox")}#overdue"' in html
    inbox = client.get(reverse("suggestions:inbox")).content.decode()
    assert 'id="overdue"' in inbox


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_administrators_have_no_business_to_do(client, people, persona):
    """Only their accounts to review (accounts.todo), no suggestion's."""
    accounts = {
        "离任代表的启用账号",
        "90天以上未登录的启用账号",
        "待分配角色的账号",
        "已不任组长、联络员的账号",
        "所属单位已停用的经办人账号",
        "待开通的代表账号",
        "待分配角色的代表账号",
    }
    assert set(home_tiles(client, people[persona])) <= accounts


@pytest.mark.django_db
def test_deputy_todo_page_is_for_deputies(client, people):
    client.force_login(people["unit"])
    assert client.get(reverse("suggestions:todo")).status_code == 403
    client.force_login(people["deputy"])
    assert client.get(reverse("suggestions:todo")).status_code == 200


@pytest.mark.django_db
def test_home_page_query_count_with_the_to_do(client, people, django_assert_max_num_queries):
    # A scoped desk's tiles are one query (COUNT ... FILTER per queue: the unit's seven, the deputy's four), and a
    # deputy's whether they came to a home or a station this year one more; the city's desk counts its six queues one
    # by one along their indexes, and its home page also reads the city-wide overview and figures by level from their
    # snapshots (each with its "changed since?" check).
    for persona, limit in (("deputy", 8), ("unit", 6), ("city", 19)):
        client.force_login(people[persona])
        client.get(reverse("core:dashboard"))  # the city's overview and figures by level computed ahead, then read
        with django_assert_max_num_queries(limit):
            assert client.get(reverse("core:dashboard")).status_code == 200
