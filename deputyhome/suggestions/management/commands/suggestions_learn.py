"""Retrain the similarity index and the routing model (idempotent: unchanged data trains nothing)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from deputyhome.suggestions.similarity.training import suggestions_learn


class Command(BaseCommand):
    help = "重新训练相似建议索引和承办单位推荐模型（数据未变化时不重复训练）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="数据未变化也重新训练")

    def handle(self, *args, force: bool = False, **options) -> None:
        started = time.perf_counter()
        try:
            row, trained = suggestions_learn(actor="manage.py suggestions_learn", force=force)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not trained:
            self.stdout.write(f"训练数据未变化，沿用模型#{row.pk}（{row.documents}件）。")
            return
        m = row.meta
        self.stdout.write(
            self.style.SUCCESS(
                f"已训练模型#{row.pk}：往年建议{m['history']}件、本年已交办{m['suggestions']}件、"
                f"单位职责{m['duty_docs']}条，词项{m['terms']}个，{m['units']}个单位，"
                f"用时{time.perf_counter() - started:.1f}秒。"
            )
        )
