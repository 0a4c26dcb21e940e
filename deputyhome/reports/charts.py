"""Bar charts drawn on the server: SVG for web pages, PNG (Pillow) for the Word report.

One layout, two renderers, no chart library: the charts the committee needs are horizontal
bars with a label per row (townships, kinds, categories), one to three series. SVG text uses
the page's fonts; the PNG uses the Noto CJK font Debian installs (fonts-noto-cjk) and falls
back to any CJK font it finds, then to Pillow's own font (Chinese then shows as boxes, but
the report is still produced).
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

PALETTE = ("#b5121b", "#e0893a", "#2f6f9f", "#5a8f29")
INK, MUTED, GRID = "#222222", "#666666", "#e3e3e3"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)

# Layout, in SVG user units (the PNG multiplies them by its scale).
WIDTH = 760
PAD = 12
TITLE_SIZE = 16
TEXT_SIZE = 13
BAR = 16
ROW_GAP = 9
VALUE_ROOM = 54
TOP_N = 20  # rows a chart shows at most (the rest fold into 其他): its height is bounded whatever the data


@dataclass
class Series:
    name: str
    values: list[float]


@dataclass
class BarChart:
    """Horizontal bars: one row per label, one bar per series in each row."""

    title: str
    labels: list[str]
    series: list[Series] = field(default_factory=list)
    unit: str = ""
    note: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> BarChart:
        """The chart from `dataclasses.asdict(chart)` as a snapshot keeps it (JSON: a Decimal comes back a string)."""
        series = [Series(name=s["name"], values=[float(v) for v in s["values"]]) for s in data["series"]]
        return cls(**{**data, "series": series})

    @classmethod
    def single(
        cls, title: str, pairs: list[tuple[str, float | int | Decimal]], *, name: str = "", unit: str = ""
    ) -> BarChart:
        return cls(title, [p[0] for p in pairs], [Series(name or title, [float(p[1] or 0) for p in pairs])], unit)

    def bounded(self, limit: int = TOP_N) -> BarChart:
        """At most `limit` rows: the largest `limit - 1` (by the first series, ties in their order) and 其他
        summing the rest, so that a chart over a province's thousand townships keeps a fixed height."""
        if len(self.labels) <= limit:
            return self
        first = self.series[0].values if self.series else [0.0] * len(self.labels)
        ranked = sorted(range(len(self.labels)), key=lambda i: -first[i])
        keep = sorted(ranked[: limit - 1])
        rest = ranked[limit - 1 :]
        labels = [self.labels[i] for i in keep] + [f"其他（{len(rest)}项）"]
        series = [Series(s.name, [s.values[i] for i in keep] + [sum(s.values[i] for i in rest)]) for s in self.series]
        note = (
            self.note
            or f"按{self.series[0].name if self.series else '数值'}列出前{limit - 1}项，其余{len(rest)}项合为“其他”。"
        )
        return BarChart(self.title, labels, series, self.unit, note)

    @property
    def is_empty(self) -> bool:
        return not self.labels or not any(v for s in self.series for v in s.values)


def text_width(text: str, size: float) -> float:
    """An estimate good enough for layout: CJK glyphs are square, Latin and digits about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in text)


def _nice_max(value: float, *, whole: bool) -> float:
    """An axis end just above `value` whose quarter is a round number (so are the four grid lines)."""
    if value <= 0:
        return 4 if whole else 1
    raw = value / 4
    exponent = 10 ** math.floor(math.log10(raw))
    step = next(m * exponent for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * exponent >= raw)
    if whole:
        step = max(1, math.ceil(step))
    return 4 * step


def _fmt(value: float) -> str:
    return f"{int(value)}" if float(value).is_integer() else f"{value:.1f}"


@dataclass
class _Layout:
    chart: BarChart
    label_width: float
    top: float
    row_height: float
    height: float
    plot_left: float
    plot_width: float
    axis_max: float

    def x(self, value: float) -> float:
        return self.plot_left + self.plot_width * (value / self.axis_max)


def _layout(chart: BarChart, *, with_title: bool = True) -> _Layout:
    label_width = min(max((text_width(label, TEXT_SIZE) for label in chart.labels), default=0) + 8, WIDTH * 0.36)
    top = PAD + (TITLE_SIZE + 10 if with_title else 4)
    if len(chart.series) > 1:
        top += TEXT_SIZE + 10  # legend
    n = max(len(chart.series), 1)
    row_height = n * BAR + (n - 1) * 2 + ROW_GAP
    plot_left = PAD + label_width
    plot_width = WIDTH - plot_left - PAD - VALUE_ROOM
    height = top + len(chart.labels) * row_height + TEXT_SIZE + 14 + (TEXT_SIZE + 6 if chart.note else 0)
    values = [v for s in chart.series for v in s.values]
    whole = all(float(v).is_integer() for v in values)
    return _Layout(
        chart,
        label_width,
        top,
        row_height,
        height,
        plot_left,
        plot_width,
        _nice_max(max(values, default=0), whole=whole),
    )


def _ticks(layout: _Layout) -> list[float]:
    return [layout.axis_max * i / 4 for i in range(5)]


# SVG ------------------------------------------------------------------------------------------------


def svg(chart: BarChart) -> str:
    """The chart as inline SVG markup (safe to mark_safe: every text is escaped); at most TOP_N rows."""
    chart = chart.bounded()
    lo = _layout(chart)
    h = math.ceil(lo.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" class="chart" role="img" '
        f'aria-label="{escape(chart.title)}">',
        f"<title>{escape(chart.title)}</title>",
        f'<text x="{PAD}" y="{PAD + TITLE_SIZE}" font-size="{TITLE_SIZE}" font-weight="bold" fill="{INK}">'
        f"{escape(chart.title)}</text>",
    ]
    if len(chart.series) > 1:
        x = PAD
        y = PAD + TITLE_SIZE + 10
        for i, s in enumerate(chart.series):
            out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
            out.append(f'<text x="{x + 16}" y="{y + 11}" font-size="{TEXT_SIZE}" fill="{INK}">{escape(s.name)}</text>')
            x += 16 + text_width(s.name, TEXT_SIZE) + 18
    bottom = lo.top + len(chart.labels) * lo.row_height
    for tick in _ticks(lo):
        x = lo.x(tick)
        out.append(f'<line x1="{x:.1f}" y1="{lo.top - 4}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{x:.1f}" y="{bottom + TEXT_SIZE + 4:.1f}" font-size="{TEXT_SIZE - 2}" fill="{MUTED}" '
            f'text-anchor="middle">{_fmt(tick)}</text>'
        )
    for row, label in enumerate(chart.labels):
        y0 = lo.top + row * lo.row_height
        mid = y0 + (lo.row_height - ROW_GAP) / 2
        out.append(
            f'<text x="{lo.plot_left - 6:.1f}" y="{mid + TEXT_SIZE * 0.35:.1f}" font-size="{TEXT_SIZE}" fill="{INK}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for i, s in enumerate(chart.series):
            value = s.values[row] if row < len(s.values) else 0
            y = y0 + i * (BAR + 2)
            w = max(lo.x(value) - lo.plot_left, 0)
            colour = PALETTE[i % len(PALETTE)]
            out.append(
                f'<rect x="{lo.plot_left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BAR}" fill="{colour}">'
                f"<title>{escape(label)} {escape(s.name)}：{_fmt(value)}{escape(chart.unit)}</title></rect>"
            )
            out.append(
                f'<text x="{lo.plot_left + w + 4:.1f}" y="{y + BAR - 3:.1f}" font-size="{TEXT_SIZE - 1}" '
                f'fill="{INK}">{_fmt(value)}</text>'
            )
    if chart.note:
        out.append(
            f'<text x="{PAD}" y="{h - 6}" font-size="{TEXT_SIZE - 2}" fill="{MUTED}">{escape(chart.note)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


# PNG ------------------------------------------------------------------------------------------------


@functools.cache
def font_path() -> tuple[str, int] | None:
    """The first CJK font found, with the face index of its Simplified Chinese face in a collection."""
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if not path.exists():
            continue
        if path.suffix == ".ttc":
            for index in range(12):
                try:
                    name = ImageFont.truetype(str(path), 12, index=index).getname()[0]
                except OSError:
                    break
                if name.endswith(" SC"):
                    return str(path), index
        return str(path), 0
    return None


def _font(size: int):
    found = font_path()
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(found[0], size, index=found[1])


def png(chart: BarChart, *, scale: float = 2.5, with_title: bool = True) -> bytes:
    """The chart as a PNG, `scale` pixels per layout unit (2.5 gives a sharp image at 16 cm wide).

    Without the title when the document captions the picture itself. At most TOP_N rows (`BarChart.bounded`).
    """
    chart = chart.bounded()
    lo = _layout(chart, with_title=with_title)
    width, height = round(WIDTH * scale), math.ceil(lo.height * scale)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title_font = _font(round(TITLE_SIZE * scale))
    text_font = _font(round(TEXT_SIZE * scale))
    small_font = _font(round((TEXT_SIZE - 2) * scale))

    def s(value: float) -> float:
        return value * scale

    if with_title:
        draw.text((s(PAD), s(PAD)), chart.title, font=title_font, fill=INK)
    if len(chart.series) > 1:
        x, y = PAD, lo.top - TEXT_SIZE - 10
        for i, series in enumerate(chart.series):
            draw.rectangle([s(x), s(y), s(x + 12), s(y + 12)], fill=PALETTE[i % len(PALETTE)])
            draw.text((s(x + 16), s(y + 6)), series.name, font=text_font, fill=INK, anchor="lm")
            x += 16 + text_width(series.name, TEXT_SIZE) + 18
    bottom = lo.top + len(chart.labels) * lo.row_height
    for tick in _ticks(lo):
        x = lo.x(tick)
        draw.line([s(x), s(lo.top - 4), s(x), s(bottom)], fill=GRID, width=max(1, round(scale)))
        draw.text((s(x), s(bottom + 4)), _fmt(tick), font=small_font, fill=MUTED, anchor="mt")
    for row, label in enumerate(chart.labels):
        y0 = lo.top + row * lo.row_height
        mid = y0 + (lo.row_height - ROW_GAP) / 2
        draw.text((s(lo.plot_left - 6), s(mid)), label, font=text_font, fill=INK, anchor="rm")
        for i, series in enumerate(chart.series):
            value = series.values[row] if row < len(series.values) else 0
            y = y0 + i * (BAR + 2)
            w = max(lo.x(value) - lo.plot_left, 0)
            if w > 0:
                draw.rectangle([s(lo.plot_left), s(y), s(lo.plot_left + w), s(y + BAR)], fill=PALETTE[i % len(PALETTE)])
            draw.text((s(lo.plot_left + w + 4), s(y + BAR / 2)), _fmt(value), font=small_font, fill=INK, anchor="lm")
    if chart.note:
        draw.text((s(PAD), s(lo.height - 6)), chart.note, font=small_font, fill=MUTED, anchor="ls")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size
