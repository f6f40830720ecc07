from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "healthsite editors"
admin.site.site_title = "healthsite admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("articles.urls")),
]
