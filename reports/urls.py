from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/pdf/maken/", views.make_pdf, name="make_pdf"),
    path("<int:pk>/pdf/<str:version>/", views.rendered, name="rendered"),
    path("<int:pk>/html/", views.html, name="html"),
    path("<int:pk>/publiceren/", views.publish, name="publish"),
]
