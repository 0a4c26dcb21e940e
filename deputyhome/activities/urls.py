app_name = "activities"
urlpatterns: list = []
