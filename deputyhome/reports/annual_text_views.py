"""The clerk's page for the annual report's 存在的问题 and 下一步工作: the drafts from the data in textareas,
saved through an audited service, used by the export from then on."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from deputyhome.core.crud import add_service_errors, render_form
from deputyhome.records.periods import parse_year, recent_years

from . import annual_drafts, precomputed
from .services import MAX_CHARS, annual_report_text_save


class AnnualTextForm(forms.Form):
    problems = forms.CharField(
        label=_("存在的问题"),
        max_length=MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "class": "report-text"}),
        strip=True,
    )
    next_steps = forms.CharField(
        label=_("下一步工作"),
        max_length=MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "class": "report-text"}),
        strip=True,
    )


@login_required
def annual_text_edit(request: HttpRequest) -> HttpResponse:
    """GET ?year=YYYY: the drafts (or the saved texts) to edit; POST: save them for the user's region."""
    user = request.user
    if not annual_drafts.may_edit(user):
        raise PermissionDenied(_("只有市人大常委会代工委和乡镇（街道）人大工作人员可以编辑年度报告。"))
    region = annual_drafts.text_region(user)
    if region is None:
        raise PermissionDenied(_("您的账号没有所属区域，无法编辑年度报告。"))
    year, error = parse_year(request.GET.get("year"))
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    saved = annual_drafts.saved_text(user=user, year=year)
    # The drafts from the year's figures, computed ahead per scope and year (reports.precomputed.annual_texts).
    computed = precomputed.annual_for(user=user, year=year)
    drafts = computed.value["drafts"]
    if request.method == "POST":
        form = AnnualTextForm(request.POST)
        if form.is_valid():
            try:
                annual_report_text_save(year=year, region=region, actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存，导出的年度报告将使用这些文字。"))
                return redirect(f"{reverse('reports:annual_text')}?year={year}")
    else:
        form = AnnualTextForm(initial={"problems": saved.problems, "next_steps": saved.next_steps} if saved else drafts)
    context = {
        "title": _("%(year)s年度报告：存在的问题和下一步工作") % {"year": year},
        "year": year,
        "years": recent_years(year),
        "region": region,
        "form": form,
        "saved": saved,
        "drafts": drafts,
        "figures": computed,  # for its "computed at" stamp
        "download_url": f"{reverse('reports:annual_report')}?year={year}",
    }
    return render_form(request, "reports/annual_text.html", context)
