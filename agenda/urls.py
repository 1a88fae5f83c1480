from django.urls import path

from agenda import views

app_name = "agenda"

urlpatterns = [
    path("", views.index, name="index"),
    path("mijn-activiteiten/", views.my_activities, name="my_activities"),
    path("activiteit/<int:pk>/", views.activity_detail, name="activity"),
    path("activiteit/<int:pk>/bewerken/", views.activity_edit, name="activity_edit"),
    path("activiteit/<int:pk>/voortgang/", views.activity_update, name="activity_update"),
    path("doelstelling/<int:pk>/bewerken/", views.goal_edit, name="goal_edit"),
    path("bijeenkomst/<int:pk>/bewerken/", views.meeting_edit, name="meeting_edit"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/kwadrant/", views.quadrant, name="quadrant"),
    path("<slug:slug>/activiteiten/nieuw/", views.activity_create, name="activity_create"),
    path("<slug:slug>/bijeenkomsten/", views.meetings, name="meetings"),
    path("<slug:slug>/bijeenkomsten/<int:year>/", views.meetings, name="meetings_year"),
    path("<slug:slug>/bijeenkomsten/nieuw/", views.meeting_create, name="meeting_create"),
]
