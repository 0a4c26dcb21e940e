app_name = "activities_api"
urlpatterns: list = []
