"""``manage.py demo_around_the_clock [--off]``: open the demo mall around the clock, so
the kiosk, the booking pages and the officer console can be tried outside its hours
(``make run DEMO_24H=1`` runs it; ``DEMO_24H=0`` runs it with ``--off``)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from services.schedule import schedule_changed
from services.services import AROUND_THE_CLOCK_LABEL, opening_hours_around_the_clock


class Command(BaseCommand):
    help = "Buka mal demo 24 jam setiap hari (--off: kembali ke jam biasa)."

    def add_arguments(self, parser):
        parser.add_argument("--off", action="store_true", help="Hapus jam 24 jam; jam biasa berlaku lagi.")

    def handle(self, *args, off: bool = False, **options):
        with transaction.atomic():
            written = opening_hours_around_the_clock(on=not off, today=timezone.localdate())
            schedule_changed()  # bulk writes skip the signals that usually say so
        if off:
            self.stdout.write(f"Mal demo kembali ke jam biasa (baris \u201c{AROUND_THE_CLOCK_LABEL}\u201d dihapus).")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Mal demo buka 24 jam setiap hari selama setahun ({written} baris jam layanan).")
            )
            self.stdout.write("  Hari libur tetap tutup. Kembali ke jam biasa: manage.py demo_around_the_clock --off")
