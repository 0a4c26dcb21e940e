"""What a demo suggestion is about (a `Topic`), and the places and units the topic tables name."""

from __future__ import annotations

from dataclasses import dataclass

# Places a topic fits (township-level units of data.TOWNSHIPS).
STREETS = ("舞阳坝街道", "六角亭街道", "小渡船街道", "金子坝街道", "七里坪街道")
RURAL = (
    "龙凤镇",
    "白杨坪镇",
    "崔家坝镇",
    "板桥镇",
    "三岔乡",
    "新塘乡",
    "红土乡",
    "沙地乡",
    "太阳河乡",
    "屯堡乡",
    "白果乡",
    "芭蕉侗族乡",
    "盛家坝乡",
    "大峡谷风景区管理处",
)
ALL = STREETS + RURAL
TEA = ("白杨坪镇", "屯堡乡", "芭蕉侗族乡", "龙凤镇", "白果乡", "盛家坝乡")
POTATO = ("太阳河乡", "三岔乡", "红土乡", "新塘乡", "板桥镇")

HOUSING = "市住房和城乡建设局"
COURT = "市人民法院"
PROCURATORATE = "市人民检察院"


@dataclass(frozen=True)
class Topic:
    """What a suggestion is about. `{t}` is the author's township, `{v}` a village or community in it."""

    key: str
    title: str
    category: str
    lead: str
    co: tuple[str, ...]
    places: tuple[str, ...]
    situation: str
    reasons: str
    proposals: str
    measure: str  # what the lead unit did or plans, for its reply
    uses: int = 1


def topic(key, title, category, lead, co, places, situation, reasons, proposals, measure, uses=1) -> Topic:
    return Topic(key, title, category, lead, tuple(co), tuple(places), situation, reasons, proposals, measure, uses)
