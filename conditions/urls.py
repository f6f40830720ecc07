from django.urls import path

from . import views

app_name = "conditions"

urlpatterns = [
    path("", views.ConditionListView.as_view(), name="list"),
    path("<slug:slug>/", views.ConditionDetailView.as_view(), name="detail"),
]
