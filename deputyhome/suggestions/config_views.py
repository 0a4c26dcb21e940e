"""Configuration of the suggestion course by the deputy-work committee: categories, result classes, periods."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.core.crud import Column, FormPageView, RegisterView
from deputyhome.core.forms import ScopedModelForm
from deputyhome.core.services import model_create, model_update

from .models import Category, Policy, ResultClass


def city_officer(user) -> bool:
    return user.role == Role.CITY_OFFICER or user.is_superuser


def _all(model):
    def selector(*, user) -> QuerySet:
        return model.objects.all() if city_officer(user) else model.objects.none()

    return staticmethod(selector)


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


class _ConfigList(RegisterView):
    allowed = staticmethod(city_officer)
    create_allowed = staticmethod(city_officer)


class _ConfigForm(FormPageView):
    allowed = staticmethod(city_officer)
    model: type

    def save(self, form, instance):
        if instance is None:
            return model_create(model=self.model, data=form.cleaned_data, actor=self.request.user)
        return model_update(instance=instance, data=form.cleaned_data, actor=self.request.user)

    def success_url(self, obj):
        return reverse(self.list_url)

    def cancel_url(self, instance):
        return reverse(self.list_url)


class CategoryList(_ConfigList):
    title = "建议分类"
    selector = _all(Category)
    default_sort = "order"
    create_url = "suggestions:category_create"
    extra_links = [("results/", "办理结果分类"), ("policies/", "办理期限设置")]
    columns = [
        Column("名称", lambda c: c.name, "name", link=lambda c: reverse("suggestions:category_update", args=[c.pk])),
        Column("排序", lambda c: c.order, "order"),
        Column("在用", lambda c: "是" if c.is_active else "否", "is_active"),
    ]


class CategoryForm_(_ConfigForm):
    form_class = CategoryForm
    model = Category
    title = "新增建议分类"
    selector = _all(Category)
    list_url = "suggestions:categories"


class ResultClassList(_ConfigList):
    title = "办理结果分类"
    selector = _all(ResultClass)
    default_sort = "order"
    create_url = "suggestions:result_create"
    columns = [
        Column("代码", lambda r: r.code, "code", link=lambda r: reverse("suggestions:result_update", args=[r.pk])),
        Column("名称", lambda r: r.label),
        Column("需跟踪落实", lambda r: "是" if r.needs_follow_up else "否"),
        Column("计分系数", lambda r: r.score_weight),
        Column("在用", lambda r: "是" if r.is_active else "否", "is_active"),
    ]


class ResultClassForm_(_ConfigForm):
    form_class = ResultClassForm
    model = ResultClass
    title = "新增办理结果分类"
    selector = _all(ResultClass)
    list_url = "suggestions:results"


class PolicyList(_ConfigList):
    title = "办理期限设置"
    selector = _all(Policy)
    default_sort = "-year"
    create_url = "suggestions:policy_create"
    columns = [
        Column("年度", lambda p: p.year, "year", link=lambda p: reverse("suggestions:policy_update", args=[p.pk])),
        Column("办理期限（月）", lambda p: p.handling_months),
        Column("复杂建议（月）", lambda p: p.complex_handling_months),
        Column("退回期限（工作日）", lambda p: p.unit_return_workdays),
        Column("协办意见（月）", lambda p: p.co_opinion_months),
        Column("重新办理（月）", lambda p: p.rehandling_months),
        Column("评价期限（工作日）", lambda p: p.evaluation_workdays),
        Column("最长延期（月）", lambda p: p.max_extension_months),
    ]

    def extra_context(self, qs):
        return {
            "note": "未设置的年度按默认期限：3个月（复杂6个月）、退回7个工作日、协办1个月、重新办理1个月、评价20个工作日、延期最长3个月。"
        }


class PolicyForm_(_ConfigForm):
    form_class = PolicyForm
    model = Policy
    title = "新增年度办理期限设置"
    selector = _all(Policy)
    list_url = "suggestions:policies"
