"""``manage.py sync_holidays [--year 2027 ...]``: add Indonesia's public holidays and cuti
bersama as mall-wide closure days. Days staff added or removed by hand are left alone."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from services.services import closure_days_sync_holidays


class Command(BaseCommand):
    help = "Tambahkan hari libur nasional dan cuti bersama sebagai hari tutup mal (bawaan: tahun ini dan berikutnya)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            metavar="TAHUN",
            help="Tahun yang disinkronkan; boleh diulang. Bawaan: tahun ini dan tahun berikutnya.",
        )

    def handle(self, *args, years=None, **options):
        if not years:
            this_year = timezone.localdate().year
            years = [this_year, this_year + 1]
        years = sorted(set(years))
        bad = [y for y in years if not 2000 <= y <= 2100]
        if bad:
            raise CommandError(f"Tahun di luar rentang 2000–2100: {', '.join(map(str, bad))}")
        added = closure_days_sync_holidays(years=years)
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Ditambahkan {added} hari tutup (libur nasional dan cuti bersama) "
                f"untuk tahun {', '.join(map(str, years))}."
            )
