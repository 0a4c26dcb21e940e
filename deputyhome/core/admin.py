"""Django admin for core configuration: the working-day calendar overrides.

The application has its own page for them (工作日历调整, `core/calendar_views.py`); this stays for the
system administrator who passed the application's login with the second factor (`accounts/admin_site.py`).
"""

from __future__ import annotations

from django.contrib import admin, messages

from .calendar_services import calendar_override_clear, calendar_override_set
from .models import CalendarOverride
from .workdays import provisional_notice

WEEKDAYS = "一二三四五六日"


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Overrides are written through the calendar services so that every admin edit is audited."""

    list_display = ["date", "weekday", "is_workday", "note", "updated_at"]
    list_filter = ["is_workday"]
    search_fields = ["note", "date"]
    date_hierarchy = "date"
    ordering = ["-date"]

    # Django's model permissions are not used: the admin site itself lets only a verified system
    # administrator in, and that is who keeps the calendar.
    def has_module_permission(self, request):
        return admin.site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return admin.site.has_permission(request)

    def has_add_permission(self, request):
        return admin.site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return admin.site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return admin.site.has_permission(request)

    @admin.display(description="星期")
    def weekday(self, obj: CalendarOverride) -> str:
        return f"星期{WEEKDAYS[obj.date.weekday()]}"

    def changelist_view(self, request, extra_context=None):
        # The calendar's owner sees which years still wait for the published adjustments.
        if notice := provisional_notice():
            self.message_user(request, notice, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # Changing the date of an override would silently move it; clear it and add another instead.
        return ["date"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = calendar_override_set(date=obj.date, is_workday=obj.is_workday, note=obj.note, actor=request.user)
        # The admin logs and redirects with the form's instance: give it the saved row's identity.
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at

    def delete_model(self, request, obj):
        calendar_override_clear(date=obj.date, actor=request.user)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            calendar_override_clear(date=override.date, actor=request.user)
