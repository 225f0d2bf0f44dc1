from django.contrib import admin
from django.urls import include, path

from api.api import api
from record import views as log_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("log/checkpoint", log_views.checkpoint, name="log-checkpoint"),
    path("log/tile/<path:path>", log_views.tile, name="log-tile"),
    path("", include("web.urls")),
]
