"""Region codes (区划代码): the length each kind takes, and a child's code under its parent's."""

from __future__ import annotations

from .choices import CODE_LENGTHS, RegionKind

KIND_NAMES = {
    2: "省",
    4: "州（地级）",
    6: "县级（县、县级市）",
    9: "乡镇级（乡、镇、街道、管理处）",
    12: "村级（村、社区）",
}


def code_problems(*, code: str, kind: str, parent_code: str | None) -> dict[str, str]:
    """What is wrong with a region's code, kind and parent, by field; empty when all is right.

    The code has the length of its kind (2, 4, 6, 9 or 12 digits), starts with its parent's code and is
    longer; a region without a parent may be at any level (an installation's top region: a city, a
    prefecture or a province), but a village needs its township.
    """
    problems: dict[str, str] = {}
    if not code:
        return problems
    if not (code.isascii() and code.isdigit()):
        return {"code": "区划代码只能由数字组成。"}
    want = CODE_LENGTHS.get(kind)
    if want is not None and len(code) != want:
        label = RegionKind(kind).label
        problems["code"] = f"“{label}”的区划代码应为{want}位数字，现为{len(code)}位。"
    elif len(code) not in KIND_NAMES:
        problems["code"] = "区划代码应为2位（省）、4位（州）、6位（县级）、9位（乡镇）或12位（村、社区）。"
    if parent_code is not None:
        if not (code.startswith(parent_code) and len(code) > len(parent_code)):
            problems.setdefault("code", f"区划代码应以上级区域的代码 {parent_code} 开头并更长。")
    elif len(code) > 9:
        problems["parent"] = "村（社区）须选择所属乡镇（街道）。"
    return problems
