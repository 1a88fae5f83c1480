from django.urls import path

from escalations import views

app_name = "escalations"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/standpunt/", views.add_position, name="position"),
    path("<int:pk>/besluit/", views.decide, name="decide"),
    path("aanmelding/<uuid:referral_uuid>/opschalen/", views.raise_escalation, name="raise"),
    path("aanmelding/<uuid:referral_uuid>/bemiddeling/", views.ask_mediator, name="ask_mediator"),
    path("bemiddeling/<int:pk>/", views.mediation, name="mediation"),
    path("bemiddeling/mijn/", views.my_mediations, name="my_mediations"),
    path("bemiddelaars/", views.mediators, name="mediators"),
    path("bemiddelaars/<int:pk>/beeindigen/", views.mediator_end, name="mediator_end"),
    path("precedenten/", views.precedents, name="precedents"),
    path("precedenten/<int:pk>/", views.precedent_detail, name="precedent"),
    path("precedenten/<int:pk>/bewerken/", views.precedent_edit, name="precedent_edit"),
]
