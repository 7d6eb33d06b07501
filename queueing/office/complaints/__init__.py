"""Complaints and suggestions (pengaduan): the citizen's form and tracking page, the
office's list and answers, the API, the daily word about overdue complaints
(``services`` holds every write)."""
