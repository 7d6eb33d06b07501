import datetime as dt

import factory
from factory.django import DjangoModelFactory

from agencies.models import Agency, AgencyKind, Agreement, Counter, Role, User
from services.models import OpeningHours, Service


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency{n}")
    name = factory.Sequence(lambda n: f"Instansi Uji {n}")
    kind = AgencyKind.OPD
    # Prefixes: A..Z, then AA..ZZ, unique for 702 agencies.
    ticket_prefix = factory.Sequence(
        lambda n: chr(65 + n % 26) if n < 26 else chr(65 + (n // 26 - 1) % 26) + chr(65 + n % 26)
    )


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: f"MoU/{n}/2021")
    signed_on = dt.date(2021, 3, 5)
    valid_from = dt.date(2021, 3, 5)


class CounterFactory(DjangoModelFactory):
    class Meta:
        model = Counter

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: n + 1)


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"layanan-{n}")
    name = factory.Sequence(lambda n: f"Layanan Uji {n}")
    requirements = "KTP-el asli\nKartu Keluarga"
    procedure = "Ambil nomor antrean\nSerahkan berkas\nTerima produk"
    completion_time = "1 hari kerja"
    fee = "Gratis"
    product = "Dokumen"
    complaints = "SP4N-LAPOR! dan meja pengaduan MPP"
    legal_basis = "UU 25/2009 tentang Pelayanan Publik"


class OpeningHoursFactory(DjangoModelFactory):
    class Meta:
        model = OpeningHours

    weekday = 0
    opens = dt.time(8, 0)
    closes = dt.time(15, 0)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICER
    agency = factory.SubFactory(AgencyFactory)
    is_staff = factory.LazyAttribute(lambda user: user.role != Role.OFFICER)
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji-2026")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    role = Role.ADMIN
    agency = None
    is_superuser = True
