from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import forms, metrics, views

auth_patterns = [
    path(
        "inloggen/",
        auth_views.LoginView.as_view(authentication_form=forms.LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord/wijzigen/",
        auth_views.PasswordChangeView.as_view(form_class=forms.TandemPasswordChangeForm),
        name="password_change",
    ),
    path("wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "wachtwoord/vergeten/",
        auth_views.PasswordResetView.as_view(form_class=forms.TandemPasswordResetForm),
        name="password_reset",
    ),
    path(
        "wachtwoord/vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.TandemSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/hersteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

# The user's notifications; under /aanmeldingen/ where they have always been.
notification_patterns = [
    path("", views.notifications, name="list"),
    path("ongelezen/", views.unread_badge, name="unread_badge"),
    path("alles-gelezen/", views.notifications_read_all, name="read_all"),
    path("instellingen/", views.notification_settings, name="settings"),
    path("<int:pk>/gelezen/", views.notification_read, name="read"),
]

handler500 = "portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("huisstijl/standaard.css", views.theme_default_css, name="theme_default_css"),
    path("huisstijl/<int:region_id>.css", views.theme_css, name="theme_css"),
    path("huisstijl/<int:region_id>/logo", views.theme_logo, name="theme_logo"),
    path("huisstijl/<int:region_id>/favicon", views.theme_favicon, name="theme_favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.view, name="metrics"),
    path("account/", include(auth_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("aanmeldingen/meldingen/", include((notification_patterns, "notifications"))),
    path("aanmeldingen/", include("referrals.urls")),
    path("netwerk/", include("contacts.urls")),
    path("uitnodiging/", include("contacts.urls_invitation")),
    path("", include("security.urls")),
    path("werkagenda/", include("agenda.urls")),
    path("rapportage/", include("reporting.urls")),
    path("opschaling/", include("escalations.urls")),
]
