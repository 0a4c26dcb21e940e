"""Configuration of the suggestion course by each congress's desk: categories, result classes, periods.

The city's officers keep the common lists (the rows without a region: every congress's categories and the
default periods) and the result classes; a township congress's officer keeps their congress's own categories
and periods, and reads the common ones.
"""

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

from . import selectors, services
from .models import Category, Policy, ResultClass
from .queues import has_township_desk


def city_officer(user) -> bool:
    return user.role == Role.CITY_OFFICER


def settings_desk(user) -> bool:
    """The desks that keep settings: the city's 代工委 and a township congress's officer."""
    return city_officer(user) or has_township_desk(user)


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


class SettingsRegister(RegisterView):
    """A register of one congress's settings: its own rows link to their form; the others are read-only."""

    edit_url: str = ""
    common_label: str = "各级通用"
    township_note: str = ""

    def get_columns(self) -> list[Column]:
        editable = set(selectors.settings_managed(self.model, user=self.request.user).values_list("pk", flat=True))
        first, *rest = self.columns
        url = self.edit_url

        def link(obj: Any) -> str | None:
            return reverse(url, args=[obj.pk]) if obj.pk in editable else None

        owner = Column("所属", lambda o: o.region.name if o.region_id else self.common_label, "region__code")
        return [Column(first.label, first.value, first.sort, link=link), *rest, owner]

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        if city_officer(self.request.user):
            return {}
        # A township's desk: its own rows and the common ones (read-only); no result classes (the city's).
        return {"note": self.township_note, "extra_links": [(u, t) for u, t in self.extra_links if u != "results/"]}


def _config_pages(
    model: type[Model],
    entity: str,
    list_name: str,
    form_class: type[BaseForm],
    form_title: str,
    register_view: type[RegisterView] = RegisterView,
    *,
    per_congress: bool = False,
    create: Callable[..., Model] | None = None,
    update: Callable[..., Model] | None = None,
    **register: Any,
) -> ModelPages:
    """A table of settings: a register and a form that returns to it. `per_congress`: each desk keeps its
    congress's own rows (`selectors.settings_managed`) and reads the common ones; else the city's only."""
    who = settings_desk if per_congress else city_officer
    return ModelPages(
        "suggestions",
        entity,
        selector=partial(selectors.settings_list, model) if per_congress else _all(model),
        edit_selector=partial(selectors.settings_managed, model) if per_congress else None,
        list_name=list_name,
        keyword="instance",
        viewers=who,
        editors=who,
        register={"model": model, **register} if per_congress else register,
        register_view=register_view,
        form_class=form_class,
        form_title=form_title,
        form_view=BackToListFormView,
        create=create or partial(model_create, model=model),
        update=update or model_update,
    )


categories = _config_pages(
    Category,
    "category",
    "categories",
    CategoryForm,
    "新增建议分类",
    SettingsRegister,
    per_congress=True,
    create=services.category_create,
    update=services.category_update,
    title="建议分类",
    default_sort="order",
    edit_url="suggestions:category_update",
    township_note="各级通用的分类由市人大常委会代工委维护，本级只能查看；本级人大可增设自己的分类，只用于本级受理的建议。",
    extra_links=[("results/", "办理结果分类"), ("policies/", "办理期限设置")],
    columns=[
        Column("名称", lambda c: c.name, "name"),
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


DEFAULT_PERIODS = "3个月（复杂6个月）、退回7个工作日、协办1个月、重新办理1个月、评价20个工作日、延期最长3个月"


class PolicyRegister(SettingsRegister):
    common_label = "默认（各级人大）"
    township_note = (
        "本级人大设置了某年度的办理期限后，本级受理的建议按本级设置计算期限；未设置的年度按默认设置"
        f"（市人大常委会代工委维护，本级只能查看），都未设置时按法定默认期限：{DEFAULT_PERIODS}。"
    )

    def extra_context(self, qs: QuerySet) -> dict[str, Any]:
        if city_officer(self.request.user):
            return {
                "note": f"默认设置适用于各级人大（乡镇人大可另设本级期限）；未设置的年度按默认期限：{DEFAULT_PERIODS}。"
            }
        return super().extra_context(qs)


policies = _config_pages(
    Policy,
    "policy",
    "policies",
    PolicyForm,
    "新增年度办理期限设置",
    PolicyRegister,
    per_congress=True,
    create=services.policy_create,
    update=services.policy_update,
    title="办理期限设置",
    default_sort="-year",
    edit_url="suggestions:policy_update",
    columns=[
        Column("年度", lambda p: p.year, "year"),
        Column("办理期限（月）", lambda p: p.handling_months),
        Column("复杂建议（月）", lambda p: p.complex_handling_months),
        Column("退回期限（工作日）", lambda p: p.unit_return_workdays),
        Column("协办意见（月）", lambda p: p.co_opinion_months),
        Column("重新办理（月）", lambda p: p.rehandling_months),
        Column("评价期限（工作日）", lambda p: p.evaluation_workdays),
        Column("最长延期（月）", lambda p: p.max_extension_months),
    ],
)
