"""Held-out evaluation of routing: train on the earlier years of the history, test on the last."""

from __future__ import annotations

import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from deputyhome.suggestions.history_models import HistoricalSuggestion
from deputyhome.suggestions.similarity.lookup import top_k_hits
from deputyhome.suggestions.similarity.model import softmax
from deputyhome.suggestions.similarity.training import duty_docs, fit, history_docs


class Command(BaseCommand):
    help = "评估承办单位和分类推荐：用往年（最后一年除外）训练，在最后一年上测试，报告首选和前三命中率。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--top", type=int, default=3)

    def handle(self, *args, top: int, **options) -> None:
        years = sorted(set(HistoricalSuggestion.objects.values_list("year", flat=True)))
        if len(years) < 2:
            raise CommandError("至少需要两个年度的往年建议（先导入往年交办清单或运行 manage.py demo）。")
        test_year = years[-1]
        started = time.perf_counter()
        train = history_docs(years[:-1])
        test = history_docs([test_year])
        model = fit(train, duty_docs())
        fitted = time.perf_counter() - started
        texts = [d.text for d in test]
        hit1, hitk = top_k_hits(model, texts, [d.lead for d in test], top)
        n = len(test)
        self.stdout.write(f"训练：{years[0]}–{years[-2]}年 {len(train)}件（加单位职责）；测试：{test_year}年 {n}件")
        self.stdout.write(f"承办单位  首选命中 {hit1 / n:.1%}  前{top}命中 {hitk / n:.1%}")
        with_cat = [d for d in test if d.category]
        if with_cat and model.categories is not None:
            x = model.vectors([d.text for d in with_cat])
            p = softmax(model.categories.scores(x))
            order = np.argsort(-p, axis=1)[:, :top]
            cls = model.categories.classes
            c1 = sum(int(cls[order[i, 0]] == d.category) for i, d in enumerate(with_cat))
            ck = sum(int(d.category in set(cls[order[i]].tolist())) for i, d in enumerate(with_cat))
            m = len(with_cat)
            self.stdout.write(f"建议分类  首选命中 {c1 / m:.1%}  前{top}命中 {ck / m:.1%}")
        self.stdout.write(f"训练用时 {fitted:.1f} 秒")
