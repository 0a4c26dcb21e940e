app_name = "training_api"
urlpatterns: list = []
