"""The invitation link, outside /netwerk/ and without login (ADR 0135)."""

from django.urls import path

from contacts import views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", views.invitation_accept, name="accept"),
]
