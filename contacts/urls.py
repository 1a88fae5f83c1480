from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("lijst/<slug:kind>/", views.directory_list, name="list"),
    path("lijst/<slug:kind>/export.<slug:fmt>", views.export_list, name="export"),
    path("scholen/<int:pk>/", views.school_detail, name="school_detail"),
    path("gemeenten/<int:pk>/", views.municipality_detail, name="municipality_detail"),
    path("samenwerkingsverbanden/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("wijkteams/<int:pk>/", views.district_team_detail, name="district_team_detail"),
    path("zorgaanbieders/<int:pk>/", views.care_provider_detail, name="care_provider_detail"),
    path("personen/nieuw/", views.person_create, name="person_create"),
    path("personen/<int:pk>/", views.person_detail, name="person_detail"),
    path("personen/<int:pk>/wijzigen/", views.person_edit, name="person_edit"),
    path(
        "contactpersoon/<slug:kind>/<int:pk>/vervangen/",
        views.assignment_replace,
        name="assignment_replace",
    ),
    path("contactpersoon/<int:pk>/beeindigen/", views.assignment_end, name="assignment_end"),
    path("scholen/<int:pk>/tandem/", views.tandem_replace, name="tandem_replace"),
    path("tandems/<int:pk>/beeindigen/", views.tandem_end, name="tandem_end"),
    path("arrangementen/", views.arrangement_list, name="arrangement_list"),
    path("arrangementen/nieuw/", views.arrangement_create, name="arrangement_create"),
    path("arrangementen/<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
    path("arrangementen/<int:pk>/wijzigen/", views.arrangement_edit, name="arrangement_edit"),
    path("dekking/", views.coverage, name="coverage"),
    path("normen/", views.norms_home, name="norms"),
    path("normen/<int:pk>/", views.norms_region, name="norms_region"),
    path("huisstijl/", views.theme_home, name="theme"),
    path("huisstijl/<int:pk>/", views.theme_region, name="theme_region"),
    path("berichtenwachtrij/", views.outbox_page, name="outbox"),
    path("berichtenwachtrij/<int:pk>/opnieuw/", views.outbox_retry, name="outbox_retry"),
    path("uitnodigen/", views.invite, name="invite"),
    path("uitnodigingen/<int:pk>/opnieuw/", views.invitation_resend, name="invitation_resend"),
    path("import/", views.import_upload, name="import"),
    path("import/bevestigen/", views.import_confirm, name="import_confirm"),
]

urlpatterns += [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/rol-toevoegen/", views.membership_add, name="membership_add"),
    path("accounts/<int:pk>/deactiveren/", views.account_deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/heractiveren/", views.account_reactivate, name="account_reactivate"),
    path(
        "accounts/<int:pk>/tweestapsverificatie-herstellen/",
        views.account_reset_two_factor,
        name="account_reset_two_factor",
    ),
    path("rollen/<int:pk>/beeindigen/", views.membership_end, name="membership_end"),
]
