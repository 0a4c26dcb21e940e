"""Pages for activities, their photos and their outputs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy

from deputyhome.audit.services import record
from deputyhome.core.crud import (
    Column,
    DeletePageView,
    date_column,
    get_detail_in_scope,
    get_in_scope,
    name_column,
)
from deputyhome.core.pages import ModelPages

from .. import filters, forms, permissions, selectors, services
from ..models import Activity
from .base import FormPage, _business, _download, _township_name

# Activities --------------------------------------------------------------------------------------------


def _organiser(a: Activity) -> str:
    if a.group_id:
        return a.group.name
    if a.region.parent_id is None:
        return "市人大常委会"
    return f"{a.region.name}人大"


class ActivityFormPage(FormPage):
    """An activity with its participants and photos; a new one starts in the current campaign and the user's group."""

    def get_object(self):
        obj = super().get_object()
        if obj is not None:  # the form shows who attended: the participations alone, not the page's other parts
            prefetch_related_objects([obj], "participations")
        return obj

    def get_form(self, instance, data=None, files=None):
        form = super().get_form(instance, data, files)
        if instance is None:
            campaign = selectors.campaign_choices(user=self.request.user).filter(
                start_on__lte=selectors.today(), end_on__gte=selectors.today()
            )
            current = campaign.first()
            if current is not None:
                form.initial.setdefault("campaign", current.pk)
            group = self.request.user.group_id
            if group:
                form.initial.setdefault("level", "group")
                form.initial.setdefault("group", group)
        return form

    def save(self, form, instance):
        photos = form.cleaned_data.get("photos") or []
        if instance is None:
            return services.activity_create(
                data=form.activity_data(), participants=form.participants(), photos=photos, actor=self.request.user
            )
        return services.activity_update(
            activity=instance,
            data=form.activity_data(),
            participants=form.participants(),
            photos=photos,
            actor=self.request.user,
        )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _business(request)
    activity = get_detail_in_scope(selectors.activity_detail, request.user, Activity, pk)
    participations = list(activity.participations.all())
    counts = {a: sum(1 for p in participations if p.attendance == a) for a in ("present", "excused", "absent")}
    return render(
        request,
        "activities/activity_detail.html",
        {
            "title": activity.topic,
            "object": activity,
            "organiser": _organiser(activity),
            "township": _township_name(activity.region),
            "participations": participations,
            "counts": counts,
            "outputs": list(activity.outputs.all()),
            "photos": list(activity.photos.all()),
            "problems": selectors.activity_problems(user=request.user, activity=activity),
            "can_edit": permissions.may_record_activities(request.user),
        },
    )


activities = ModelPages(
    "activities",
    "activity",
    selector=selectors.activity_register,
    decorate=selectors.add_activity_counts,
    viewers=permissions.sees_business,
    editors=permissions.may_record_activities,
    register={
        "title": "代表活动",
        "filterset_class": filters.ActivityFilter,
        "default_sort": "-date",
        "extra_links": [
            (reverse_lazy("activities:campaign_list"), "代表行动"),
            (reverse_lazy("activities:problem_list"), "发现问题"),
            (reverse_lazy("activities:stats"), "统计"),
        ],
        "columns": [
            date_column("日期", "date"),
            name_column("活动主题", "topic"),
            Column("类型", lambda a: a.get_kind_display(), "kind"),
            Column("组织", _organiser, "region__code"),
            Column("地点", lambda a: a.place),
            # the page's activities only (RegisterView.decorate): not sortable
            Column("出席代表", lambda a: a.present_count),
            Column("发现问题", lambda a: a.problem_count),
        ],
    },
    detail=activity_detail,
    form_class=forms.ActivityForm,
    form_title="录入代表活动",
    form_view=ActivityFormPage,
    delete=services.activity_delete,
)


@login_required
def activity_photo(request: HttpRequest, pk: int) -> FileResponse:
    _business(request)
    from ..models import ActivityPhoto

    photo = ActivityPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    get_in_scope(selectors.activity_list, request.user, photo.activity_id)
    return _download(photo.file, photo.name)


class OutputForm(FormPage):
    form_class = forms.OutputForm
    allowed = staticmethod(permissions.may_record_activities)
    selector = staticmethod(selectors.output_list)

    def get_activity(self) -> Activity:
        return get_in_scope(selectors.activity_list, self.request.user, self.kwargs["activity_pk"])

    def get_title(self, instance) -> str:
        if instance is None:
            return f"登记活动成果：{self.get_activity().topic}"
        return f"编辑：{instance}"

    def save(self, form, instance):
        data = {k: form.cleaned_data.get(k) for k in form._meta.fields}
        upload = form.cleaned_data.get("upload")
        if instance is None:
            return services.output_create(activity=self.get_activity(), data=data, file=upload, actor=self.request.user)
        return services.output_update(output=instance, data=data, file=upload, actor=self.request.user)

    def cancel_url(self, instance) -> str:
        return instance.get_absolute_url() if instance else self.get_activity().get_absolute_url()


class OutputDelete(DeletePageView):
    allowed = staticmethod(permissions.may_record_activities)
    selector = staticmethod(selectors.output_list)
    service = staticmethod(lambda obj, actor: services.output_delete(output=obj, actor=actor))

    def get_success_url(self, obj) -> str:
        return reverse("activities:activity_detail", args=[obj.activity_id])


@login_required
def output_file(request: HttpRequest, pk: int) -> FileResponse:
    _business(request)
    output = get_in_scope(selectors.output_list, request.user, pk)
    if not output.file:
        raise Http404("该成果没有上传文件。")
    record(actor=request.user, action="output.download", obj=output, detail=output.file_name)
    return _download(output.file, output.file_name or "document")
