"""Recommend lead units and a category for each line of a file: a title, or a title and content after a tab."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from deputyhome.suggestions.similarity.lookup import batch_route, current_model
from deputyhome.suggestions.similarity.training import suggestions_learn


class Command(BaseCommand):
    help = "为文件中每行建议（标题，或“标题<Tab>内容”）推荐主办单位（按可能性排序）和分类。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--input", required=True, help="UTF-8 文本文件，每行一件；“-”为标准输入")
        parser.add_argument("--top", type=int, default=3, help="列出前几个单位（默认 3）")
        parser.add_argument("--json", action="store_true", help="每行输出一个 JSON 对象")

    def handle(self, *args, input: str, top: int, json: bool = False, **options) -> None:
        if top < 1:
            raise CommandError("--top 须为正整数。")
        try:
            raw = self.stdin_text() if input == "-" else Path(input).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取文件 {input}：{exc}") from exc
        lines = [line.rstrip("\r") for line in raw.split("\n") if line.strip()]
        if current_model()[0] is None:
            try:
                suggestions_learn(actor="manage.py route_suggestions")
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        texts = [line.replace("\t", "\n", 1) for line in lines]
        for line, (units, category) in zip(lines, batch_route(texts, top=top), strict=True):
            if json:
                self.stdout.write(_dumps({"text": line, "units": units, "category": category}))
            else:
                self.stdout.write(f"{line.split(chr(9))[0]}\t{' > '.join(units)}\t{category}")

    def stdin_text(self) -> str:
        import sys

        return sys.stdin.read()


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
