from django.urls import path

from hub.intake import views

urlpatterns = [
    path("bao-tin/", views.report, name="intake_report"),
    path("bao-tin/da-nhan/", views.report_thanks, name="intake_report_thanks"),
    path("hoi-dap/", views.questions, name="intake_questions"),
]
