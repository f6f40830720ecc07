from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<int:article_pk>/", views.create, name="create"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/report/", views.report, name="report"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
