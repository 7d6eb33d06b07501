"""``manage.py report_summaries``: keep the report figures of every closed day now
(what beat does hourly), or write a range of days again from the history
(``--from 2026-01-01 --to 2026-03-31``, after a correction of the history)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from queueing.office.reports.summaries import open_days, report_days_summarize, report_days_write


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Tanggal tidak sah: {text!r} (tulis TTTT-BB-HH).") from None


class Command(BaseCommand):
    help = "Simpan angka laporan antrean hari-hari yang sudah ditutup, atau tulis ulang satu rentang tanggal."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=_day, help="Hari pertama yang ditulis ulang (TTTT-BB-HH).")
        parser.add_argument("--to", dest="last", type=_day, help="Hari terakhir yang ditulis ulang (TTTT-BB-HH).")

    def handle(self, *args, first=None, last=None, **options):
        if first is None and last is None:
            kept = report_days_summarize()
            self.stdout.write(f"{kept} hari disimpan.")
            return
        today = timezone.localdate()
        first = first or last
        last = min(last or first, today - dt.timedelta(days=1))
        if last < first:
            raise CommandError("Rentang kosong: hanya hari sebelum hari ini yang dapat disimpan.")
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        skipped = open_days(days)
        written = report_days_write(days=days)
        self.stdout.write(f"{written} hari ditulis ulang.")
        if skipped:
            self.stdout.write(f"Dilewati (masih ada tiket terbuka): {', '.join(map(str, sorted(skipped)))}")
