"""Chinese tokenisation: jieba words (with the committee's own place and unit names) and character bigrams.

Words carry meaning (饮水、幼儿园、茶叶); bigrams catch what the dictionary splits differently
(a village name jieba does not know, 通村 vs 通村公路). Bigrams are prefixed with "#" so that
the reasons shown to staff can list words only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

import jieba

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_known: frozenset[str] = frozenset()

_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-zA-Z]+|\d+")
# Words that every suggestion uses and that tell nothing about the matter or the unit.
STOP = frozenset(
    [
        "关于",
        "建议",
        "问题",
        "加强",
        "进一步",
        "推进",
        "加快",
        "提升",
        "解决",
        "实施",
        "关于",
        "及",
        "和",
        "与",
        "的",
        "了",
        "在",
        "对",
        "为",
        "是",
        "将",
        "有",
        "我市",
        "我们",
        "相关",
        "工作",
        "希望",
        "请求",
        "尽快",
        "严重",
        "当前",
        "目前",
        "部分",
        "存在",
        "一些",
        "情况",
        "进行",
        "开展",
        "做好",
        "有关",
        "方面",
        "提高",
        "完善",
        "落实",
        "问题",
        "恳请",
        "市",
        "代表",
        "群众",
        "百姓",
        "老百姓",
        "政府",
        "部门",
    ]
)
SUFFIXES = ("街道", "镇", "乡", "村", "社区", "管理处", "侗族乡")


def _dictionary_words(places: Iterable[str], units: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for name in places:
        name = name.strip()
        if len(name) < 2:
            continue
        words.add(name)
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                words.add(name[: -len(suffix)])
    for name in units:
        name = name.strip()
        if len(name) >= 2:
            words.add(name)
            if name.startswith("市") and len(name) > 3:
                words.add(name[1:])
    return words


def configure(*, places: Iterable[str] = (), units: Iterable[str] = ()) -> None:
    """Load the committee's dictionary (place and unit names) into a tokenizer of our own."""
    global _tokenizer, _known
    words = frozenset(_dictionary_words(places, units))
    with _lock:
        if _tokenizer is not None and words <= _known:
            return
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.setLogLevel(logging.WARNING)
        tok = _tokenizer or jieba.Tokenizer()
        tok.initialize()
        for w in sorted(words - _known):
            tok.add_word(w, freq=2000)
        _tokenizer, _known = tok, _known | words


def configure_from_db() -> None:
    from deputyhome.organisation.models import HandlingUnit, Region

    configure(
        places=Region.objects.values_list("name", flat=True),
        units=HandlingUnit.objects.values_list("name", flat=True),
    )


def _tok() -> jieba.Tokenizer:
    if _tokenizer is None:
        configure()
    assert _tokenizer is not None  # noqa: S101 - set by configure()
    return _tokenizer


def words(text: str) -> list[str]:
    """The meaningful words of `text`: jieba's words of two or more characters, stop words out."""
    tok = _tok()
    out = []
    for run in _RUN.findall(text):
        if not ("\u4e00" <= run[0] <= "\u9fff"):
            if len(run) >= 2 and not run.isdigit():
                out.append(run.lower())
            continue
        out.extend(w for w in tok.lcut(run, HMM=False) if len(w) >= 2 and w not in STOP)
    return out


def tokens(text: str) -> list[str]:
    """Words plus "#"-prefixed character bigrams of each Chinese run."""
    out = words(text)
    for run in _RUN.findall(text):
        if "\u4e00" <= run[0] <= "\u9fff":
            out.extend("#" + run[i : i + 2] for i in range(len(run) - 1))
    return out
