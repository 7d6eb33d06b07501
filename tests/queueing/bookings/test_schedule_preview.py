"""Before a change to opening hours or closure days is saved, staff see the week it
leaves at each level and how many bookings it strands, and confirm. Undoing a change
tells the citizens it stranded that their booking stands again."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from queueing.bookings.services import booking_create
from queueing.models import Booking, Notification, NotificationEvent
from services.models import ClosureDay, OpeningHours
from tests.conftest import confirmation_of, post_confirmed
from tests.factories import OpeningHoursFactory, ServiceFactory
from tests.queueing.conftest import at, nik

pytestmark = pytest.mark.django_db

ADD = reverse("admin:services_openinghours_add")
FRIDAY_ROW = {"agency": "", "weekday": "4", "opens": "08.00", "closes": "11.30"}


def next_weekday(weekday: int) -> dt.date:
    """The first such weekday after tomorrow (far enough for any booking notice)."""
    day = timezone.localdate() + dt.timedelta(days=2)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def mall_week(db):
    for weekday in range(5):
        OpeningHoursFactory(weekday=weekday, opens=dt.time(8), closes=dt.time(15))


@pytest.fixture
def ktp(disdukcapil, mall_week):
    return ServiceFactory(agency=disdukcapil, code="ktp-el", name="Penerbitan KTP-el", slot_capacity=5, daily_quota=50)


@pytest.fixture
def bookings(ktp):
    """Nine bookings: three on Monday morning, six on Friday afternoon."""
    made = []
    for n, (weekday, hour) in enumerate([(0, 9)] * 3 + [(4, 13)] * 3 + [(4, 14)] * 3):
        made.append(
            booking_create(
                service=ktp,
                start=at(next_weekday(weekday), hour),
                nik=nik(n + 1),
                name=f"Warga {n}",
                phone="+6281234567890",
                email=f"warga{n}@example.org",
            )
        )
    return made


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_an_agency_friday_row_is_previewed_before_it_is_saved(client, alice, disdukcapil, bookings):
    client.force_login(alice)
    data = FRIDAY_ROW | {"agency": str(disdukcapil.pk)}

    preview = client.post(ADD, data)

    assert preview.status_code == 200
    assert not OpeningHours.objects.filter(agency=disdukcapil).exists()
    assert not Booking.objects.filter(schedule_conflict_at__isnull=False).exists()
    assert not Notification.objects.filter(event=NotificationEvent.SCHEDULE_CHANGED).exists()
    words = text(preview)
    assert "6 pemesanan akan tidak sesuai jadwal" in words
    # The week at each level: the mall's, and what the agency's services follow.
    week = preview.context["schedule_preview"].weeks
    assert [level.label for level in week] == ["Seluruh mal", disdukcapil.name]
    agency_days = {cell.day.weekday(): cell for cell in week[1].cells}
    assert agency_days[0].after == "08.00–15.00"
    assert agency_days[3].after == "08.00–15.00"
    assert agency_days[4].before == "08.00–15.00"
    assert agency_days[4].after == "08.00–11.30"
    assert agency_days[4].changed and not agency_days[0].changed
    assert agency_days[5].after == "Tutup"

    saved = client.post(ADD, data | {"confirmation": confirmation_of(preview)}, follow=True)

    assert saved.status_code == 200
    assert OpeningHours.objects.filter(agency=disdukcapil, weekday=4).count() == 1
    stranded = Booking.objects.filter(schedule_conflict_at__isnull=False)
    assert stranded.count() == 6
    assert {b.start.weekday() for b in stranded} == {4}


def test_a_stale_or_forged_confirmation_shows_the_preview_again(client, alice, disdukcapil, bookings):
    client.force_login(alice)
    data = FRIDAY_ROW | {"agency": str(disdukcapil.pk)}
    confirmation = confirmation_of(client.post(ADD, data))

    moved = client.post(ADD, data | {"closes": "13.30", "confirmation": confirmation})
    forged = client.post(ADD, data | {"confirmation": "x" * 5000 + "<script>"})

    for answer in (moved, forged):
        assert answer.status_code == 200
        assert "pratinjau" in text(answer).lower()
    assert not OpeningHours.objects.filter(agency=disdukcapil).exists()
    assert "3 pemesanan akan tidak sesuai jadwal" in text(moved)


def test_bad_hours_are_told_at_the_field_and_no_preview_is_made(client, alice, disdukcapil):
    client.force_login(alice)
    answer = client.post(ADD, FRIDAY_ROW | {"agency": str(disdukcapil.pk), "opens": "25.00", "closes": ""})

    assert answer.status_code == 200
    form = answer.context["adminform"].form
    assert "opens" in form.errors
    assert answer.context.get("schedule_preview") is None
    assert not OpeningHours.objects.exists() or OpeningHours.objects.filter(agency=disdukcapil).count() == 0


def test_marking_a_weekday_closed_at_the_agency_is_previewed(client, alice, disdukcapil, bookings):
    client.force_login(alice)
    data = {"agency": str(disdukcapil.pk), "weekday": "0", "closed": "on", "opens": "", "closes": ""}

    preview = client.post(ADD, data)

    assert "3 pemesanan akan tidak sesuai jadwal" in text(preview)
    agency_days = {cell.day.weekday(): cell for cell in preview.context["schedule_preview"].weeks[1].cells}
    assert agency_days[0].after == "Tutup" and agency_days[1].after == "08.00–15.00"


def test_a_closure_day_is_previewed_with_the_bookings_it_strands(client, alice, disdukcapil, bookings):
    client.force_login(alice)
    monday = next_weekday(0)
    url = reverse("admin:services_closureday_add")
    data = {"date": monday.isoformat(), "agency": str(disdukcapil.pk), "name": "Rapat kerja"}

    preview = client.post(url, data)

    assert not ClosureDay.objects.exists()
    assert "3 pemesanan akan tidak sesuai jadwal" in text(preview)
    days = {cell.day: cell for cell in preview.context["schedule_preview"].weeks[1].cells}
    assert days[monday].after == "Tutup" and days[monday].before == "08.00–15.00"

    post_confirmed(client, url, data)
    assert ClosureDay.objects.filter(agency=disdukcapil, date=monday).exists()
    assert Booking.objects.filter(schedule_conflict_at__isnull=False).count() == 3


def test_deleting_the_row_is_previewed_and_tells_the_stranded_citizens_their_booking_stands(
    client, alice, disdukcapil, bookings
):
    client.force_login(alice)
    post_confirmed(client, ADD, FRIDAY_ROW | {"agency": str(disdukcapil.pk)})
    row = OpeningHours.objects.get(agency=disdukcapil)
    url = reverse("admin:services_openinghours_delete", args=[row.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert "6 pemesanan akan kembali sesuai jadwal" in text(page)
    assert OpeningHours.objects.filter(pk=row.pk).exists()

    client.post(url, {"post": "yes"})

    assert not OpeningHours.objects.filter(pk=row.pk).exists()
    assert not Booking.objects.filter(schedule_conflict_at__isnull=False).exists()
    restored = Notification.objects.filter(event=NotificationEvent.SCHEDULE_RESTORED)
    assert restored.count() == 12  # six citizens, SMS and email each
    assert set(restored.values_list("booking__start__week_day", flat=True)) == {6}  # Friday
    assert "tetap berlaku" in restored.filter(channel="sms").first().message


def test_the_bulk_delete_without_a_preview_is_not_offered(client, alice, disdukcapil):
    OpeningHoursFactory(agency=disdukcapil)
    ClosureDay.objects.create(agency=disdukcapil, date=next_weekday(2), name="Rapat kerja")
    client.force_login(alice)
    for model in ("openinghours", "closureday"):
        page = client.get(reverse(f"admin:services_{model}_changelist"))
        assert "delete_selected" not in page.content.decode()


def test_hours_edited_on_the_service_page_are_previewed_too(client, alice, ktp, bookings, admin_form_data):
    client.force_login(alice)
    url = reverse("admin:services_service_change", args=[ktp.pk])
    data = admin_form_data(client.get(url)) | {
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-0-weekday": "0",
        "opening_hours-0-closed": "on",
    }

    preview = client.post(url, data)

    assert preview.status_code == 200
    assert not OpeningHours.objects.filter(service=ktp).exists()
    assert "3 pemesanan akan tidak sesuai jadwal" in text(preview)
    lines = {level.label: level for level in preview.context["schedule_preview"].weeks}
    assert {cell.day.weekday(): cell.after for cell in lines[ktp.name].cells}[0] == "Tutup"
    confirmation = preview.context["schedule_confirmation"]

    client.post(url, data | {confirmation["name"]: confirmation["value"]})

    assert OpeningHours.objects.filter(service=ktp, weekday=0, closed=True).exists()
    assert Booking.objects.filter(schedule_conflict_at__isnull=False).count() == 3


def test_the_preview_is_a_note_to_confirm_not_an_error_to_correct(client, alice, disdukcapil, bookings):
    client.force_login(alice)

    preview = client.post(ADD, FRIDAY_ROW | {"agency": str(disdukcapil.pk)})

    page = preview.content.decode()
    assert 'class="errornote"' not in page
    assert "Error:" not in page.split("</title>")[0]
    assert "Perubahan belum disimpan" in text(preview)
    assert " / Not saved yet" not in page


def test_a_bad_field_still_shows_the_admin_error_banner(client, alice, disdukcapil):
    client.force_login(alice)

    answer = client.post(ADD, FRIDAY_ROW | {"agency": str(disdukcapil.pk), "opens": "25.00"})

    assert 'class="errornote"' in answer.content.decode()


def test_the_preview_note_is_in_english_on_an_english_page(client, alice, disdukcapil, bookings):
    client.force_login(alice)

    english_times = {"opens": "08:00", "closes": "11:30"}
    preview = client.post(ADD, FRIDAY_ROW | english_times | {"agency": str(disdukcapil.pk)}, HTTP_ACCEPT_LANGUAGE="en")

    assert "Not saved yet. Check the schedule preview below" in text(preview)
    assert "Perubahan belum disimpan" not in text(preview)
