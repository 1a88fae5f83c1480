from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("account/tweestapsverificatie/", views.overview, name="two_factor"),
    path("account/tweestapsverificatie/instellen/", views.setup, name="two_factor_setup"),
    path("account/tweestapsverificatie/controleren/", views.verify, name="two_factor_verify"),
    path("account/tweestapsverificatie/herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("account/tweestapsverificatie/uitschakelen/", views.disable, name="two_factor_disable"),
    path("account/sso/terug/", views.SSOCallbackView.as_view(), name="sso_callback"),
    path("account/sso/<slug:slug>/", views.SSOStartView.as_view(), name="sso_start"),
    path("account/sessie/verlengen/", views.session_keepalive, name="session_keepalive"),
    path("privacyverklaring/", views.privacy_statement, name="privacy_statement"),
    path("toegankelijkheidsverklaring/", views.accessibility_statement, name="accessibility_statement"),
    path("toegangslog/", views.access_log, name="access_log"),
    path("toegangslog/export.csv", views.access_log_export, name="access_log_export"),
    path("toegangslog/inzageverzoek/", views.subject_access_request, name="subject_access"),
    path("toegangslog/inzageverzoek/inzage.pdf", views.subject_access_pdf, name="subject_access_pdf"),
]

urlpatterns += [
    path("privacy/verwerkingsregister/", views.processing_register, name="register"),
    path("privacy/verwerkingsregister/register.csv", views.processing_register_csv, name="register_csv"),
    path("privacy/verwerkingsregister/register.pdf", views.processing_register_pdf, name="register_pdf"),
]

urlpatterns += [
    path("privacy/verzoeken/", views.request_list, name="request_list"),
    path("privacy/verzoeken/nieuw/", views.request_create, name="request_create"),
    path("privacy/verzoeken/<int:pk>/", views.request_detail, name="request_detail"),
    path("privacy/verzoeken/<int:pk>/<slug:action>/", views.request_act, name="request_act"),
]

urlpatterns += [
    path("privacy/datalekken/", views.breach_list, name="breach_list"),
    path("privacy/datalekken/nieuw/", views.breach_create, name="breach_create"),
    path("privacy/datalekken/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("privacy/datalekken/<int:pk>/<slug:action>/", views.breach_act, name="breach_act"),
]

urlpatterns += [
    path("privacy/accountwijzigingen/", views.account_record_list, name="account_records"),
]
