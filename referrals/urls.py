from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.school_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("terugblik/", views.feedback_pending, name="feedback_pending"),
    path("<uuid:uuid>/", views.detail, name="detail"),
    path("<uuid:uuid>/samenvatting/", views.summary, name="summary"),
    path("<uuid:uuid>/bewerken/", views.edit, name="edit"),
    path("<uuid:uuid>/controleren/", views.check, name="check"),
    path("<uuid:uuid>/indienen/", views.submit, name="submit"),
    path("<uuid:uuid>/ouders/", views.guardian_add, name="guardian_add"),
    path("<uuid:uuid>/ouders/<int:pk>/verwijderen/", views.guardian_remove, name="guardian_remove"),
    path("<uuid:uuid>/toestemming/", views.consent_add, name="consent_add"),
    path("<uuid:uuid>/toestemming/<int:pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("<uuid:uuid>/bijlagen/", views.attachment_upload, name="attachment_upload"),
    path("<uuid:uuid>/bijlagen/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<uuid:uuid>/bijlagen/<int:pk>/verwijderen/", views.attachment_remove, name="attachment_remove"),
    path("<uuid:uuid>/documenten/", views.document_add, name="document_add"),
    path("<uuid:uuid>/bericht/", views.message, name="message"),
    path("<uuid:uuid>/actie/<slug:action>/", views.act, name="act"),
    path("<uuid:uuid>/terugblik/", views.feedback, name="feedback"),
    path("<uuid:uuid>/overgang-18/", views.transition, name="transition"),
]
