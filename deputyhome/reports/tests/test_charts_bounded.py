"""A chart keeps a bounded size however many categories it has: the top N and 其他."""

from __future__ import annotations

from deputyhome.reports import charts
from deputyhome.reports.annual_charts import report_charts


def _townships(n: int) -> list[dict]:
    return [{"name": f"第{i}乡", "deputies": i % 97 + 1, "groups": i % 7 + 1} for i in range(n)]


def test_a_chart_of_1200_townships_is_as_large_as_one_of_20():
    chart = charts.BarChart(
        "各乡镇代表人数",
        [r["name"] for r in _townships(1200)],
        [charts.Series("代表（人）", [r["deputies"] for r in _townships(1200)])],
    )
    small = charts.BarChart.single("各乡镇代表人数", [(r["name"], r["deputies"]) for r in _townships(20)])
    big_size = charts.png_size(charts.png(chart))
    assert big_size[1] <= charts.png_size(charts.png(small))[1] + 60  # the note line only
    assert big_size[0] * big_size[1] < 5_000_000  # pixels; the unbounded chart was 204 megapixels at province scale
    assert charts.svg(chart).count("<rect") < 80


def test_the_rest_fold_into_other_with_their_sums():
    rows = _townships(1200)
    bounded = charts.BarChart(
        "t",
        [r["name"] for r in rows],
        [charts.Series("代表", [r["deputies"] for r in rows]), charts.Series("小组", [r["groups"] for r in rows])],
    ).bounded()
    assert len(bounded.labels) == charts.TOP_N
    assert bounded.labels[-1] == f"其他（{1200 - charts.TOP_N + 1}项）"
    assert sum(bounded.series[0].values) == sum(r["deputies"] for r in rows)
    assert sum(bounded.series[1].values) == sum(r["groups"] for r in rows)
    assert min(bounded.series[0].values[:-1]) >= 96  # the largest are kept (values run 1 to 97)
    assert "其他" in bounded.note


def test_the_report_charts_are_bounded():
    figures = {
        "platform": {"by_township": _townships(1200), "deputies_by_level": {}},
        "training": None,
        "activities": None,
        "suggestions": None,
    }
    chart = report_charts(figures)["platform"]
    assert len(chart.labels) == charts.TOP_N
