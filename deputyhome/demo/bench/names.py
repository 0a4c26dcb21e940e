"""Place and unit names for the bench province, unique by construction: the n-th name of a kind is n
written in a base of plausible characters, so no name repeats and none depends on a draw."""

from __future__ import annotations

# Characters that make plausible Chinese place names in any pair.
FIRST = "青龙白石马黄金双红新长清安永兴平高东西南北大小三五七太上下花桃柳杨松竹梅"
SECOND = "山河溪湾岭坪坝口桥林田湖泉冈岗峰岩水阳城台庄堡寨塘沟洲"


def place(n: int, *, length: int = 2) -> str:
    """The n-th place name (0-based) of `length` characters: two from FIRST/SECOND, more as needed."""
    chars = []
    for i in range(length):
        base = SECOND if i == length - 1 else FIRST
        n, r = divmod(n, len(base))
        chars.append(base[r])
    if n:
        raise ValueError("too many names for this length")
    return "".join(chars)


PREFECTURE_SUFFIX = "市"
PROVINCE_NAME = "湖北省"
PROVINCE_CODE = "42"

DEPARTMENTS = [
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "经济和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利和湖泊局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "市场监督管理局",
    "医疗保障局",
    "林业局",
    "城市管理执法局",
    "供电公司",
]
