from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("articles/<slug:slug>/helpful/", views.helpful, name="helpful"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("search/", views.search, name="search"),
    path("authors/<str:username>/", views.AuthorView.as_view(), name="author"),
    # Category pages live at their path, e.g. /more/health/recovery/; this pattern comes
    # last so every other address of the site is matched first.
    path("<path:path>/", views.CategoryView.as_view(), name="category"),
]
