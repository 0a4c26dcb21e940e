from . import calendar_views
from .pages import page_paths

app_name = "calendar"
urlpatterns = [
    *page_paths(
        prefix="",
        entity="",
        register=calendar_views.calendar_list,
        form=calendar_views.calendar_edit,
        delete=calendar_views.calendar_delete,
    ),
]
