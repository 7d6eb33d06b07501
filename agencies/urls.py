"""The agencies app's pages: the signed MoU documents."""

from django.urls import path

from agencies import views

urlpatterns = [
    path("kantor/mou/<int:pk>/dokumen/", views.agreement_document, name="agreement-document"),
]
