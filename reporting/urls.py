from django.urls import path, re_path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("rapporten/", views.report_list, name="report_list"),
    path("rapporten/aanvragen/", views.report_request, name="report_request"),
    path("rapporten/<uuid:uuid>/", views.report_detail, name="report_detail"),
    path("rapporten/<uuid:uuid>/status/", views.report_status, name="report_status"),
    path("rapporten/<uuid:uuid>/opnieuw/", views.report_retry, name="report_retry"),
    path("rapporten/<uuid:uuid>/download/", views.report_download, name="report_download"),
    path("rapporten/<uuid:uuid>/publiceren/", views.report_publish, name="report_publish"),
    path("rapporten/<uuid:uuid>/publicatie-intrekken/", views.report_withdraw, name="report_withdraw"),
    path("gepubliceerd/", views.published_list, name="published_list"),
    path("gepubliceerd/<uuid:uuid>/download/", views.published_download, name="published_download"),
    path("startfoto/", views.startfoto, name="startfoto"),
    path("startfoto/vastleggen/", views.startfoto_freeze, name="startfoto_freeze"),
    path("startfoto/startfoto.xlsx", views.startfoto_xlsx, name="startfoto_xlsx"),
]
