"""The default wording of every notification, in Bahasa Indonesia and English.

Staff override any of them in the administration (``MessageTemplate``); these texts are
what is sent while no row exists. Placeholders: {code} {service} {agency} {date} {time}
{number} {counter} {ahead} {link} {codes}.
"""

import time

from django.core.cache import cache

from queueing.models import MESSAGE_TEMPLATES_CACHE_KEY as CACHE_KEY
from queueing.models import MessageTemplate, NotificationEvent, local_wording

E = NotificationEvent

DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    (E.BOOKING_CONFIRMED, "id"): (
        "Pemesanan MPP {code}",
        "MPP Tangsel: pemesanan {code} untuk {service} pada {date} pukul {time} terkonfirmasi. "
        "Bawa persyaratan dan datang 30 menit lebih awal. {link}",
    ),
    (E.BOOKING_CONFIRMED, "en"): (
        "MPP booking {code}",
        "MPP Tangsel: booking {code} for {service} on {date} at {time} is confirmed. "
        "Bring the requirements and arrive 30 minutes early. {link}",
    ),
    (E.BOOKING_RESCHEDULED, "id"): (
        "Pemesanan MPP {code} dijadwalkan ulang",
        "MPP Tangsel: pemesanan {code} untuk {service} dipindah ke {date} pukul {time}. {link}",
    ),
    (E.BOOKING_RESCHEDULED, "en"): (
        "MPP booking {code} rescheduled",
        "MPP Tangsel: booking {code} for {service} moved to {date} at {time}. {link}",
    ),
    (E.BOOKING_CANCELLED, "id"): (
        "Pemesanan MPP {code} dibatalkan",
        "MPP Tangsel: pemesanan {code} untuk {service} pada {date} pukul {time} dibatalkan.",
    ),
    (E.BOOKING_CANCELLED, "en"): (
        "MPP booking {code} cancelled",
        "MPP Tangsel: booking {code} for {service} on {date} at {time} is cancelled.",
    ),
    (E.SCHEDULE_CHANGED, "id"): (
        "Jadwal layanan berubah",
        "MPP Tangsel: jadwal {service} pada {date} berubah sehingga slot {time} Anda tidak tersedia. "
        "Silakan pilih jadwal baru: {link}",
    ),
    (E.SCHEDULE_CHANGED, "en"): (
        "Service hours changed",
        "MPP Tangsel: the hours of {service} on {date} changed and your {time} slot is no longer available. "
        "Please choose a new time: {link}",
    ),
    (E.SCHEDULE_RESTORED, "id"): (
        "Pemesanan MPP {code} berlaku lagi",
        "MPP Tangsel: perubahan jadwal {service} pada {date} dibatalkan. Pemesanan {code} pukul {time} "
        "tetap berlaku; tidak perlu memilih jadwal baru. {link}",
    ),
    (E.SCHEDULE_RESTORED, "en"): (
        "MPP booking {code} stands again",
        "MPP Tangsel: the change to the hours of {service} on {date} was undone. Your booking {code} at {time} "
        "stands; there is no need to choose a new time. {link}",
    ),
    (E.REMINDER_EVENING, "id"): (
        "Pengingat pemesanan MPP besok",
        "MPP Tangsel: besok {date} pukul {time} Anda terjadwal untuk {service} (kode {code}). {link}",
    ),
    (E.REMINDER_EVENING, "en"): (
        "Reminder: MPP booking tomorrow",
        "MPP Tangsel: tomorrow {date} at {time} you are booked for {service} (code {code}). {link}",
    ),
    (E.REMINDER_SOON, "id"): (
        "Pengingat pemesanan MPP",
        "MPP Tangsel: jadwal Anda untuk {service} pukul {time} hari ini. Check-in di kios dengan kode {code}.",
    ),
    (E.REMINDER_SOON, "en"): (
        "MPP booking reminder",
        "MPP Tangsel: your {service} slot is today at {time}. Check in at the kiosk with code {code}.",
    ),
    (E.TURN_NEAR, "id"): (
        "Giliran Anda sudah dekat",
        "MPP Tangsel: antrean {number} — tinggal {ahead} orang lagi sebelum giliran Anda. Mohon bersiap. {link}",
    ),
    (E.TURN_NEAR, "en"): (
        "Your turn is near",
        "MPP Tangsel: ticket {number} — {ahead} more before your turn. Please be ready. {link}",
    ),
    (E.CALLED, "id"): (
        "Nomor {number} dipanggil",
        "MPP Tangsel: nomor antrean {number}, silakan ke loket {counter}.",
    ),
    (E.CALLED, "en"): (
        "Number {number} called",
        "MPP Tangsel: ticket {number}, please go to counter {counter}.",
    ),
    (E.SURVEY, "id"): (
        "Bagaimana layanan kami?",
        "MPP Tangsel: terima kasih telah dilayani. Mohon isi survei kepuasan (1 menit): {link}",
    ),
    (E.SURVEY, "en"): (
        "How did we do?",
        "MPP Tangsel: thank you for your visit. Please take our one-minute satisfaction survey: {link}",
    ),
    (E.BOOKING_CODES, "id"): (
        "Kode pemesanan MPP Anda",
        "MPP Tangsel: kode pemesanan Anda: {codes}. Buka pemesanan dengan kode di {link}",
    ),
    (E.BOOKING_CODES, "en"): (
        "Your MPP booking codes",
        "MPP Tangsel: your booking codes: {codes}. Open a booking with its code at {link}",
    ),
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


LOCAL_SECONDS = 5


def _staff_wording() -> dict[tuple[str, str], tuple[str, str]]:
    """Every template staff wrote, read once and kept in the shared cache until one
    changes (``MessageTemplate`` clears it on save and delete), and for a few seconds
    in this process too: a booking writes up to three messages, and a trip to the
    cache for each would cost more than the rest of the message."""
    local = local_wording.get("wording")
    if local and local[0] > time.monotonic():
        return local[1]
    wording = cache.get(CACHE_KEY)
    if wording is None:
        wording = {(t.event, t.language): (t.subject, t.text) for t in MessageTemplate.objects.all()}
        cache.set(CACHE_KEY, wording, timeout=300)
    local_wording["wording"] = (time.monotonic() + LOCAL_SECONDS, wording)
    return wording


def render(event: str, language: str, values: dict) -> tuple[str, str]:
    """(subject, text) for an event in a language, from the staff's template or the default."""
    language = language if language in ("id", "en") else "id"
    subject, text = _staff_wording().get((event, language)) or DEFAULTS[(event, language)]
    values = _Blank(values)
    return subject.format_map(values), " ".join(text.format_map(values).split())
