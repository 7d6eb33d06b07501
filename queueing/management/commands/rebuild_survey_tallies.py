"""``manage.py rebuild_survey_tallies [--check]``: the daily survey tallies the IKM
publication reads, checked against the surveys (``--check``: exit status 1 when they
differ) or written again from them."""

from django.core.management.base import BaseCommand, CommandError

from queueing.surveys.tally import survey_tallies_rebuild, survey_tally_differences


class Command(BaseCommand):
    help = "Periksa (--check) atau tulis ulang rekap harian survei kepuasan dari surveinya."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Hanya periksa; status 1 bila ada yang berbeda.")

    def handle(self, *args, check=False, **options):
        if check:
            differences = survey_tally_differences()
            if differences:
                shown = ", ".join(
                    f"{day} instansi {agency} layanan {service}" for day, agency, service in differences[:5]
                )
                raise CommandError(f"{len(differences)} rekap berbeda dari surveinya: {shown}")
            self.stdout.write("Rekap harian survei sesuai dengan surveinya.")
            return
        rows = survey_tallies_rebuild()
        self.stdout.write(f"Rekap harian survei ditulis ulang: {rows} baris.")
