"""Configuration of the suggestion course by the deputy-work committee: categories, result classes, periods."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.core.crud import BackToListFormView, Column, RegisterView, yes_no_column
from deputyhome.core.forms import ScopedModelForm
from deputyhome.core.pages import ModelPages
from deputyhome.core.services import model_create, model_update

from .models import Category, Policy, ResultClass


def city_officer(user) -> bool:
    return user.role == Role.CITY_OFFICER


def _all(model: type[Model]) -> Callable[..., QuerySet]:
    def selector(*, user) -> QuerySet:
        return model.objects.all() if city_officer(user) else model.objects.none()

    return selector


class CategoryForm(ScopedModelForm):
    class Meta:
        model = Category
        fields = ["name", "order", "is_active"]


class ResultClassForm(ScopedModelForm):
    class Meta:
        model = ResultClass
        fields = ["code", "label", "needs_follow_up", "score_weight", "order", "is_active"]


class PolicyForm(ScopedModelForm):
    class Meta:
        model = Policy
        fields = [
            "year",
            "handling_months",
            "complex_handling_months",
            "unit_return_workdays",
            "co_opinion_months",
            "rehandling_months",
            "evaluation_workdays",
            "max_extension_months",
            "due_soon_workdays",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("handling_months") and data["handling_months"] > 3:
            self.add_error("handling_months", "代表法规定一般应在交办之日起三个月内答复。")
        if data.get("complex_handling_months") and data["complex_handling_months"] > 6:
            self.add_error("complex_handling_months", "涉及面广、办理难度大的，最长不超过六个月。")
        return data


def _config_pages(
    model: type[Model],
    entity: str,
    list_name: str,
    form_class: type[BaseForm],
    form_title: str,
    register_view: type[RegisterView] = RegisterView,
    **register: Any,
) -> ModelPages:
    """A table of settings: a register and a form that returns to it, for the city's officers only."""
    return ModelPages(
        "suggestions",
        entity,
        selector=_all(model),
        list_name=list_name,
        keyword="instance",
        viewers=city_officer,
        editors=city_officer,
        register=register,
        register_view=register_view,
        form_class=form_class,
        form_title=form_title,
        form_view=BackToListFormView,
        create=partial(model_create, model=model),
        update=model_update,
    )


categories = _config_pages(
    Category,
    "category",
    "categories",
    CategoryForm,
    "新增建议分类",
    title="建议分类",
    default_sort="order",
    extra_links=[("results/", "办理结果分类"), ("policies/", "办理期限设置")],
    columns=[
        Column("名称", lambda c: c.name, "name", link=lambda c: reverse("suggestions:category_update", args=[c.pk])),
        Column("排序", lambda c: c.order, "order"),
        yes_no_column("在用", "is_active"),
    ],
)


results = _config_pages(
    ResultClass,
    "result",
    "results",
    ResultClassForm,
    "新增办理结果分类",
    title="办理结果分类",
    default_sort="order",
    columns=[
        Column("代码", lambda r: r.code, "code", link=lambda r: reverse("suggestions:result_update", args=[r.pk])),
        Column("名称", lambda r: r.label),
        yes_no_column("需跟踪落实", "needs_follow_up", sort=False),
        Column("计分系数", lambda r: r.score_weight),
        yes_no_column("在用", "is_active"),
    ],
)


class PolicyRegister(RegisterView):
    def extra_context(self, qs):
        return {
            "note": "未设置的年度按默认期限：3个月（复杂6个月）、退回7个工作日、协办1个月、重新办理1个月、评价20个工作日、延期最长3个月。"
        }


policies = _config_pages(
    Policy,
    "policy",
    "policies",
    PolicyForm,
    "新增年度办理期限设置",
    PolicyRegister,
    title="办理期限设置",
    default_sort="-year",
    columns=[
        Column("年度", lambda p: p.year, "year", link=lambda p: reverse("suggestions:policy_update", args=[p.pk])),
        Column("办理期限（月）", lambda p: p.handling_months),
        Column("复杂建议（月）", lambda p: p.complex_handling_months),
        Column("退回期限（工作日）", lambda p: p.unit_return_workdays),
        Column("协办意见（月）", lambda p: p.co_opinion_months),
        Column("重新办理（月）", lambda p: p.rehandling_months),
        Column("评价期限（工作日）", lambda p: p.evaluation_workdays),
        Column("最长延期（月）", lambda p: p.max_extension_months),
    ],
)
