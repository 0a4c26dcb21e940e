"""Must show: the annual report for the demo year, read back with python-docx, states the article's figures."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from docx import Document

from deputyhome.accounts.models import User
from deputyhome.records import selectors as records_selectors
from deputyhome.reports.annual import annual_figures, annual_report_docx

pytestmark = pytest.mark.usefixtures("demo_city")


def read_back(content: bytes) -> str:
    """The document's paragraphs and table cells as one text, numbers normalised (1,338 → 1338, no spaces)."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += ["|".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    text = "\n".join(parts).replace(" ", "").replace("\u3000", "")
    return re.sub(r"(?<=\d),(?=\d{3})", "", text)


def figure(text: str, pattern: str) -> int:
    """The number in `pattern` (written with (\\d+)), as it stands in the text; -1 if the sentence is missing."""
    match = re.search(pattern, text)
    return int(match.group(1)) if match else -1


# (what, pattern in the report, the article's figure)
ARTICLE_FIGURES = [
    ("homes", r"人大代表之家(\d+)个", 19),
    ("liaison stations", r"人大代表联络站(\d+)个", 78),
    ("deputies", r"组织(\d+)名代表", 1338),
    ("groups", r"编成(\d+)个代表小组", 78),
    ("special-topic training sessions", r"专题培训(\d+)期", 3),
    ("research reports", r"调研报告(\d+)个", 3),
    ("review opinions", r"审议意见(\d+)件", 2),
    ("problems found", r"发现问题(\d+)个", 241),
    ("suggestions formed", r"形成意见建议(\d+)件", 171),
    ("suggestions in session", r"会议期间，收到代表提出的建议意见(\d+)件", 118),
    ("suggestions in recess", r"闭会期间收到代表建议意见(\d+)件", 2),
]


@pytest.fixture(scope="module")
def city_report(demo_city, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        user = User.objects.get(username="city")
        content, _filename = annual_report_docx(user=user, year=timezone.localdate().year)
    return read_back(content)


@pytest.mark.parametrize(("what", "pattern", "expected"), ARTICLE_FIGURES, ids=[f[0] for f in ARTICLE_FIGURES])
def test_must_show_the_report_states_the_articles_figures(city_report, what, pattern, expected):
    assert figure(city_report, pattern) == expected, f"{what}: {pattern}"


def test_the_report_follows_the_articles_structure(city_report):
    headings = ["一、夯实平台，让代表可“回家”", "二、培训聚能，让代表能“回家”"]
    headings += ["三、组织活动，让代表常“回家”", "四、增强成就感，让代表想“回家”"]
    positions = [city_report.index(h) for h in headings]
    assert positions == sorted(positions)
    assert city_report.startswith(f"恩施市人大常委会{timezone.localdate().year}年代表工作报告")
    assert "初任培训" in city_report and "现场教学" in city_report


def test_township_report_has_only_its_township(db):
    user = User.objects.get(username="township")
    text = read_back(annual_report_docx(user=user, year=timezone.localdate().year)[0])
    assert "人大代表之家1个" in text and "人大代表联络站4个" in text
    assert figure(text, r"组织(\d+)名代表") < 1338
    for other in ("白杨坪镇", "龙凤镇", "大峡谷风景区管理处"):
        assert other not in text


def test_the_dashboard_figures_are_the_reports(db):
    user = User.objects.get(username="city")
    f = annual_figures(user=user, year=timezone.localdate().year)
    assert f["platform"]["deputy_homes"] == 19
    assert f["activities"]["problems_found"] == 241
    assert f["suggestions"]["received_in_session"] == 118


def test_every_deputy_has_a_duty_record_and_points(db, django_assert_max_num_queries):
    user = User.objects.get(username="city")
    with django_assert_max_num_queries(30):
        _scheme, rows = records_selectors.points_rows(
            records_selectors.PointsQuery(year=timezone.localdate().year), user=user
        )
    assert len(rows) == 1338
    assert all(row.card.lines for row in rows)
    assert sum(1 for row in rows if row.card.total > 0) > 1300
    assert sum(row.figures.reports_held for row in rows) > 50


def test_the_report_can_be_handed_in(city_report):
    # The old report had 1,660 characters, ended with a generated-by note and said "交政府及法检两院承办".
    assert len(city_report) > 4000
    assert "自动生成" not in city_report and "交政府及法检两院承办" not in city_report
