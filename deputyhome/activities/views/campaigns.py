"""Pages for campaigns, the townships' themes and the groups' small entry points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from deputyhome.core.crud import Column, DeletePageView, add_service_errors, get_in_scope, render_form
from deputyhome.core.pages import ModelPages

from .. import filters, forms, permissions, selectors, services
from .base import FORM_TEMPLATE, FormPage, _business, page_of

# Campaigns ---------------------------------------------------------------------------------------------


def _parts(request: HttpRequest, campaign) -> dict:
    """The townships' themes and the groups' topics, a page of each (a province has a thousand townships)."""
    themes, themes_query = page_of(request, selectors.campaign_themes(campaign=campaign), "themes_page")
    topics, topics_query = page_of(
        request, selectors.campaign_topics(campaign=campaign, user=request.user), "topics_page"
    )
    return {"themes": themes, "themes_query": themes_query, "topics": topics, "topics_query": topics_query}


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    campaign = get_in_scope(selectors.campaign_list, request.user, pk)
    return render(
        request,
        "activities/campaign_detail.html",
        {
            "title": str(campaign),
            "object": campaign,
            **_parts(request, campaign),
            "can_manage": permissions.may_manage_campaigns(request.user),
            "can_theme": permissions.may_set_themes(request.user),
            "can_topic": permissions.may_set_topics(request.user),
            "activities_url": reverse("activities:activity_list") + f"?campaign={campaign.pk}",
        },
    )


campaigns = ModelPages(
    "activities",
    "campaign",
    selector=selectors.campaign_list,
    viewers=permissions.sees_business,
    editors=permissions.may_manage_campaigns,
    register={
        "title": "代表行动",
        "filterset_class": filters.CampaignFilter,
        "default_sort": "-start_on",
        "columns": [
            Column("行动", lambda c: f"“{c.slogan}”", "slogan", link=lambda c: c.get_absolute_url()),
            Column("期间", lambda c: f"{c.start_on:%Y-%m-%d} 至 {c.end_on:%Y-%m-%d}", "start_on"),
            Column("全市主题", lambda c: c.main_theme),
            Column("乡镇主题", lambda c: c.theme_count, "theme_count"),
            Column("活动", lambda c: c.activity_count, "activity_count"),
        ],
    },
    detail=campaign_detail,
    form_class=forms.CampaignForm,
    form_title="新增代表行动",
    form_view=FormPage,
    create=services.campaign_create,
    update=services.campaign_update,
    delete=services.campaign_delete,
)


def _campaign_part_form(request: HttpRequest, pk: int, form_class, title: str, service) -> HttpResponse:
    """Set a township's theme or a group's topic: the form's fields are the service's arguments."""
    campaign = get_in_scope(selectors.campaign_list, request.user, pk)
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            service(campaign=campaign, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return HttpResponseRedirect(campaign.get_absolute_url())
    return render_form(
        request,
        FORM_TEMPLATE,
        {"title": f"{title}：{campaign}", "form": form, "cancel_url": campaign.get_absolute_url()},
    )


@login_required
def theme_set(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.may_set_themes(request.user):
        raise PermissionDenied("只有市、乡两级人大工作人员可以设置乡镇主题。")
    return _campaign_part_form(request, pk, forms.ThemeForm, "设置乡镇（街道）主题", services.township_theme_set)


@login_required
def topic_set(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.may_set_topics(request.user):
        raise PermissionDenied("您的角色不能设置小组小切口。")
    return _campaign_part_form(request, pk, forms.TopicForm, "设置小组小切口", services.group_topic_set)


def _themes(user):
    from ..models import TownshipTheme

    return TownshipTheme.objects.filter(
        campaign__in=selectors.campaign_list(user=user), region__in=selectors.township_choices(user=user)
    ).select_related("campaign", "region")


def _topics(user):
    from ..models import GroupTopic

    return GroupTopic.objects.filter(
        campaign__in=selectors.campaign_list(user=user), group__in=selectors.group_choices(user=user)
    ).select_related("campaign", "group__station__region")


class CampaignPartDelete(DeletePageView):
    """A township's theme or a group's topic: back to its campaign's page after."""

    def get_success_url(self, obj) -> str:
        return obj.campaign.get_absolute_url()


class ThemeDelete(CampaignPartDelete):
    allowed = staticmethod(permissions.may_set_themes)
    selector = staticmethod(_themes)
    service = staticmethod(lambda obj, actor: services.township_theme_delete(theme=obj, actor=actor))


class TopicDelete(CampaignPartDelete):
    allowed = staticmethod(permissions.may_set_topics)
    selector = staticmethod(_topics)
    service = staticmethod(lambda obj, actor: services.group_topic_delete(topic=obj, actor=actor))
