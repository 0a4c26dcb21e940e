"""The default lists (DOMAIN.md): ten suggestion categories and the A/B/C result scheme.

Plain data, read by the data migration that fills a new database and by
`services.default_lists_ensure` (the demo, and any database whose lists were emptied).
"""

from __future__ import annotations

CATEGORIES: list[str] = [
    "经济建设",
    "城乡建设与管理",
    "农业农村",
    "教育科技文化",
    "医疗卫生",
    "社会保障",
    "生态环境",
    "交通运输",
    "政法与社会治理",
    "其他",
]

# (code, label, needs follow-up, score weight)
RESULT_CLASSES: list[tuple[str, str, bool, str]] = [
    ("A", "已解决或采纳", False, "1.00"),
    ("B", "正在解决或列入计划解决", True, "0.80"),
    ("C", "因条件限制或其他原因留作参考", True, "0.50"),
]
