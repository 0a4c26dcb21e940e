app_name = "opinions_api"
urlpatterns: list = []
