"""The complaints' pages (the citizen's and the office's) and their API."""

from django.urls import path

from queueing.office.complaints import api, staff, views

OFFICE = "kantor/pengaduan/"

urlpatterns = [
    path("pengaduan/", views.complaint_form, name="complaint-form"),
    path("pengaduan/lacak/", views.complaint_lookup, name="complaint-lookup"),
    path("pengaduan/<str:code>/", views.complaint_detail, name="complaint-detail"),
    path("api/v1/complaints/", api.ComplaintCreateView.as_view(), name="api-complaint-create"),
    path("api/v1/complaints/<str:code>/", api.ComplaintDetailView.as_view(), name="api-complaint"),
    path(OFFICE, staff.complaint_list, name="office-complaints"),
    path(f"{OFFICE}<int:pk>/", staff.complaint_page, name="office-complaint"),
    path(f"{OFFICE}<int:pk>/tanggapi/", staff.complaint_answer_page, name="office-complaint-answer"),
    path(f"{OFFICE}<int:pk>/teruskan/", staff.complaint_route_page, name="office-complaint-route"),
]
