"""Demo data of MPP Kota Tangerang Selatan: the 17 partner agencies, their services with
the published standard (PermenPAN-RB 15/2014), counters and staff.

Plain Python structures read by ``manage.py load_demo_data``. Everything here is meant to
be edited by DPMPTSP staff afterwards: the floor layout, counter numbers, MoU numbers,
completion times and quotas are demonstration values, not the mall's published figures.
The laws cited are real; where a fee depends on a rule we do not quote, the text says so
instead of inventing a figure.
"""

import datetime as dt

from services.demo_data_en import english_lines, english_text

MOU_SIGNED_ON = dt.date(2021, 3, 5)

# The mall-wide opening hours loaded as a starting point (demo values staff edit in the
# admin): Monday to Friday 08.00–15.00; Saturday and Sunday closed, so no rows.
OPENING_HOURS = [(weekday, dt.time(8, 0), dt.time(15, 0)) for weekday in range(5)]

LAPOR = "SP4N-LAPOR!: www.lapor.go.id atau SMS 1708"

UU_PELAYANAN_PUBLIK = "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
UU_ADMINDUK = (
    "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan sebagaimana telah diubah dengan "
    "Undang-Undang Nomor 24 Tahun 2013"
)
PERPRES_96_2018 = (
    "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil"
)
PERMENDAGRI_108_2019 = (
    "Peraturan Menteri Dalam Negeri Nomor 108 Tahun 2019 tentang Peraturan Pelaksanaan Peraturan Presiden "
    "Nomor 96 Tahun 2018"
)
UU_HKPD = "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah"
PP_PNBP_POLRI = (
    "Peraturan Pemerintah Nomor 60 Tahun 2016 tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak "
    "yang Berlaku pada Kepolisian Negara Republik Indonesia"
)
UU_LLAJ = "Undang-Undang Nomor 22 Tahun 2009 tentang Lalu Lintas dan Angkutan Jalan"
UU_KEJAKSAAN = (
    "Undang-Undang Nomor 16 Tahun 2004 tentang Kejaksaan Republik Indonesia sebagaimana telah diubah dengan "
    "Undang-Undang Nomor 11 Tahun 2021"
)
UU_KEKUASAAN_KEHAKIMAN = "Undang-Undang Nomor 48 Tahun 2009 tentang Kekuasaan Kehakiman"
UU_PERADILAN_UMUM = (
    "Undang-Undang Nomor 2 Tahun 1986 tentang Peradilan Umum sebagaimana telah diubah terakhir dengan "
    "Undang-Undang Nomor 49 Tahun 2009"
)
UU_PERADILAN_AGAMA = (
    "Undang-Undang Nomor 7 Tahun 1989 tentang Peradilan Agama sebagaimana telah diubah terakhir dengan "
    "Undang-Undang Nomor 50 Tahun 2009"
)
PERMA_ECOURT = (
    "Peraturan Mahkamah Agung Nomor 1 Tahun 2019 tentang Administrasi Perkara dan Persidangan di Pengadilan "
    "secara Elektronik"
)
UUPA = "Undang-Undang Nomor 5 Tahun 1960 tentang Peraturan Dasar Pokok-Pokok Agraria"
PP_PENDAFTARAN_TANAH = "Peraturan Pemerintah Nomor 24 Tahun 1997 tentang Pendaftaran Tanah"
PP_18_2021 = (
    "Peraturan Pemerintah Nomor 18 Tahun 2021 tentang Hak Pengelolaan, Hak Atas Tanah, Satuan Rumah Susun, "
    "dan Pendaftaran Tanah"
)
PP_PNBP_BPN = (
    "Peraturan Pemerintah Nomor 128 Tahun 2015 tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak "
    "yang Berlaku pada Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional"
)
UU_KEIMIGRASIAN = "Undang-Undang Nomor 6 Tahun 2011 tentang Keimigrasian"
PP_KEIMIGRASIAN = (
    "Peraturan Pemerintah Nomor 31 Tahun 2013 tentang Peraturan Pelaksanaan Undang-Undang Nomor 6 Tahun 2011"
)
PP_PNBP_KUMHAM = (
    "Peraturan Pemerintah Nomor 28 Tahun 2019 tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak "
    "yang Berlaku pada Kementerian Hukum dan Hak Asasi Manusia"
)
UU_PERKAWINAN = (
    "Undang-Undang Nomor 1 Tahun 1974 tentang Perkawinan sebagaimana telah diubah dengan "
    "Undang-Undang Nomor 16 Tahun 2019"
)
PMA_PENCATATAN_NIKAH = "Peraturan Menteri Agama Nomor 20 Tahun 2019 tentang Pencatatan Pernikahan"
UU_HAJI = "Undang-Undang Nomor 8 Tahun 2019 tentang Penyelenggaraan Ibadah Haji dan Umrah"
UU_JPH = "Undang-Undang Nomor 33 Tahun 2014 tentang Jaminan Produk Halal"
UU_KUP = (
    "Undang-Undang Nomor 6 Tahun 1983 tentang Ketentuan Umum dan Tata Cara Perpajakan beserta perubahannya, "
    "antara lain Undang-Undang Nomor 7 Tahun 2021 tentang Harmonisasi Peraturan Perpajakan"
)
UU_SJSN = "Undang-Undang Nomor 40 Tahun 2004 tentang Sistem Jaminan Sosial Nasional"
UU_BPJS = "Undang-Undang Nomor 24 Tahun 2011 tentang Badan Penyelenggara Jaminan Sosial"
PP_JHT = (
    "Peraturan Pemerintah Nomor 46 Tahun 2015 tentang Penyelenggaraan Program Jaminan Hari Tua sebagaimana "
    "telah diubah dengan Peraturan Pemerintah Nomor 60 Tahun 2015"
)
PERMENAKER_JHT = (
    "Peraturan Menteri Ketenagakerjaan Nomor 4 Tahun 2022 tentang Tata Cara dan Persyaratan Pembayaran "
    "Manfaat Jaminan Hari Tua"
)
UU_POS = "Undang-Undang Nomor 38 Tahun 2009 tentang Pos"
UU_KETENAGALISTRIKAN = "Undang-Undang Nomor 30 Tahun 2009 tentang Ketenagalistrikan"
UU_PERBANKAN = (
    "Undang-Undang Nomor 7 Tahun 1992 tentang Perbankan sebagaimana telah diubah dengan "
    "Undang-Undang Nomor 10 Tahun 1998"
)
UU_P2SK = "Undang-Undang Nomor 4 Tahun 2023 tentang Pengembangan dan Penguatan Sektor Keuangan"
UU_PEMDA = "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah"
PP_BUMD = "Peraturan Pemerintah Nomor 54 Tahun 2017 tentang Badan Usaha Milik Daerah"
UU_CIPTA_KERJA = (
    "Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 "
    "Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang"
)
UU_BANGUNAN_GEDUNG = "Undang-Undang Nomor 28 Tahun 2002 tentang Bangunan Gedung"
PP_BANGUNAN_GEDUNG = (
    "Peraturan Pemerintah Nomor 16 Tahun 2021 tentang Peraturan Pelaksanaan Undang-Undang Nomor 28 Tahun 2002 "
    "tentang Bangunan Gedung"
)
PERPRES_MPP = "Peraturan Presiden Nomor 89 Tahun 2021 tentang Penyelenggaraan Mal Pelayanan Publik"

GRATIS_ADMINDUK = "Gratis (Pasal 79A UU Nomor 24 Tahun 2013: dokumen kependudukan tidak dipungut biaya)"


def service(
    code: str,
    name: str,
    *,
    description: str,
    requirements: list[str],
    procedure: list[str],
    completion_time: str,
    completion_days: int,
    product: str,
    legal_basis: list[str],
    fee: str = "Gratis",
    online_booking: bool = True,
    walk_in: bool = True,
    external_booking_url: str = "",
    slot_minutes: int = 30,
    slot_capacity: int = 4,
    daily_quota: int = 40,
    walk_in_reserve: int | None = None,
    priority_reserve: int = 0,
) -> dict:
    """One service with its standard. A service without online booking keeps its whole
    quota (less the priority share) for walk-ins unless told otherwise."""
    if walk_in_reserve is None:
        walk_in_reserve = daily_quota - priority_reserve if not online_booking else daily_quota // 5
    if walk_in_reserve + priority_reserve > daily_quota:
        raise ValueError(f"{code}: the reserves exceed the daily quota")
    texts = {
        "name": name,
        "description": description,
        "requirements": "\n".join(requirements),
        "procedure": "\n".join(procedure),
        "completion_time": completion_time,
        "fee": fee,
        "product": product,
    }
    return {
        "code": code,
        **texts,
        **{f"{field}_en": english_lines(text) for field, text in texts.items()},
        "completion_days": completion_days,
        "legal_basis": "\n".join([*legal_basis, UU_PELAYANAN_PUBLIK]),
        "online_booking": online_booking,
        "walk_in": walk_in,
        "external_booking_url": external_booking_url,
        "slot_minutes": slot_minutes,
        "slot_capacity": slot_capacity,
        "daily_quota": daily_quota,
        "walk_in_reserve": walk_in_reserve,
        "priority_reserve": priority_reserve,
    }


def complaints_for(agency: dict) -> tuple[str, str]:
    """Where a citizen complains about a service, in Indonesian and in English: the
    agency's desk at the mall, the mall's own desk, the agency's national channel when
    it has one, and SP4N-LAPOR!."""
    shared = ["Meja informasi dan pengaduan MPP (DPMPTSP Kota Tangerang Selatan)", *agency.get("channels", []), LAPOR]
    indonesian = [f"Loket {agency['short']} di MPP Kota Tangerang Selatan, {agency['location']}", *shared]
    floor, zone = agency["floor"]
    english = [f"The {agency['short']} counter at the South Tangerang mall, floor {floor}, zone {zone} (demo layout)"]
    return "\n".join(indonesian), "\n".join(english + [english_text(line) for line in shared])


def agency_english(agency: dict) -> dict:
    return {"name_en": english_text(agency["name"]), "description_en": english_text(agency["description"])}


def _place(floor: int, zone: str) -> dict:
    return {"location": f"Lantai {floor}, Zona {zone} (tata letak demo)", "floor": (floor, zone)}


# Ticket prefixes: one letter per agency, mnemonic where the letter is free, and never
# I or O (they read as 1 and 0 on the display board).
AGENCIES: list[dict] = [
    {
        "code": "dpmptsp",
        "name": "DPMPTSP Kota Tangerang Selatan",
        "short": "DPMPTSP",
        "kind": "opd",
        "ticket_prefix": "A",
        "description": (
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu, pengelola MPP: perizinan dan nonperizinan, "
            "pendampingan perizinan berusaha melalui OSS, Persetujuan Bangunan Gedung, konsultasi dan pengaduan."
        ),
        **_place(1, "A"),
        "website": "https://www.tangerangselatankota.go.id/",
        "counters": 3,
        "services": [
            service(
                "nib-oss",
                "Pendampingan perizinan berusaha (NIB) melalui OSS",
                description="Bantuan pendaftaran hak akses dan penerbitan Nomor Induk Berusaha melalui sistem OSS.",
                requirements=[
                    "KTP-el pemohon (usaha perseorangan) atau akta pendirian dan SK pengesahan badan usaha",
                    "NPWP pemohon atau badan usaha",
                    "Alamat email dan nomor ponsel aktif untuk hak akses OSS",
                    "Data usaha: lokasi, bidang usaha (KBLI), modal dan jumlah tenaga kerja",
                ],
                procedure=[
                    "Ambil nomor antrean atau pesan jadwal melalui portal",
                    "Petugas membantu membuat atau memulihkan hak akses OSS",
                    "Pemohon mengisi data usaha dan memilih KBLI bersama petugas",
                    "Sistem OSS menerbitkan NIB sesuai tingkat risiko usaha",
                    "Petugas menjelaskan perizinan lanjutan bila usaha berisiko menengah atau tinggi",
                ],
                completion_time="Saat itu juga bila data lengkap (NIB terbit melalui OSS)",
                completion_days=0,
                product="Nomor Induk Berusaha (NIB) dan, sesuai risiko, Sertifikat Standar atau Izin",
                legal_basis=[
                    UU_CIPTA_KERJA,
                    "Peraturan Pemerintah tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko",
                ],
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=40,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "pbg",
                "Persetujuan Bangunan Gedung (PBG)",
                description="Permohonan dan konsultasi PBG melalui Sistem Informasi Manajemen Bangunan Gedung (SIMBG).",
                requirements=[
                    "KTP-el pemohon dan surat kuasa bila dikuasakan",
                    "Bukti kepemilikan atau penguasaan tanah (sertipikat atau dokumen lain yang sah)",
                    "Dokumen rencana teknis: gambar arsitektur, struktur dan utilitas",
                    "Akun SIMBG pemohon",
                ],
                procedure=[
                    "Pemohon mendaftar dan mengunggah dokumen di SIMBG dengan pendampingan petugas",
                    "Konsultasi rencana teknis dengan Tim Profesi Ahli atau Tim Penilai Teknis",
                    "Penerbitan pernyataan pemenuhan standar teknis",
                    "Penghitungan dan pembayaran retribusi PBG",
                    "PBG diterbitkan melalui SIMBG",
                ],
                completion_time="Sesuai tahapan SIMBG, dihitung sejak dokumen dinyatakan lengkap",
                completion_days=28,
                fee="Retribusi PBG sesuai Peraturan Daerah Kota Tangerang Selatan; pendampingan gratis",
                product="Persetujuan Bangunan Gedung (PBG)",
                legal_basis=[UU_BANGUNAN_GEDUNG, PP_BANGUNAN_GEDUNG, UU_HKPD],
                slot_minutes=30,
                slot_capacity=2,
                daily_quota=24,
                walk_in_reserve=6,
                priority_reserve=2,
            ),
            service(
                "konsultasi-perizinan",
                "Konsultasi dan pengaduan perizinan",
                description="Informasi persyaratan perizinan dan penanganan pengaduan pelayanan MPP.",
                requirements=[
                    "KTP-el atau identitas lain",
                    "Dokumen yang berkaitan dengan pertanyaan atau pengaduan (bila ada)",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sampaikan pertanyaan atau pengaduan kepada petugas",
                    "Petugas memberi jawaban atau mencatat pengaduan dan meneruskannya kepada instansi terkait",
                    "Pemohon menerima tanda terima dan jawaban tindak lanjut",
                ],
                completion_time="Saat itu juga untuk informasi; pengaduan dijawab paling lama 14 hari kerja",
                completion_days=0,
                product="Informasi perizinan atau tanda terima dan jawaban pengaduan",
                legal_basis=[PERPRES_MPP],
                online_booking=False,
                daily_quota=60,
                priority_reserve=6,
            ),
        ],
    },
    {
        "code": "disdukcapil",
        "name": "Dinas Kependudukan dan Pencatatan Sipil",
        "short": "Disdukcapil",
        "kind": "opd",
        "ticket_prefix": "B",
        "description": (
            "Dinas Kependudukan dan Pencatatan Sipil Kota Tangerang Selatan: KTP-el, Kartu Keluarga, Kartu "
            "Identitas Anak, akta pencatatan sipil dan perpindahan penduduk."
        ),
        **_place(1, "B"),
        "website": "https://www.tangerangselatankota.go.id/",
        "counters": 6,
        "services": [
            service(
                "ktp-el",
                "KTP-el (cetak baru, penggantian karena rusak, hilang atau perubahan data)",
                description="Penerbitan Kartu Tanda Penduduk elektronik bagi penduduk Kota Tangerang Selatan.",
                requirements=[
                    "Berusia 17 tahun, sudah kawin atau pernah kawin",
                    "Kartu Keluarga (KK) atau NIK pemohon",
                    "Sudah melakukan perekaman biometrik (bila belum, perekaman dilakukan di loket)",
                    "KTP-el lama bila rusak atau berubah data",
                    "Surat keterangan kehilangan dari kepolisian bila KTP-el hilang",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan persyaratan di loket Disdukcapil",
                    "Petugas memverifikasi data kependudukan",
                    "Perekaman foto, sidik jari dan iris mata bagi yang belum merekam",
                    "KTP-el dicetak dan diserahkan kepada pemohon",
                ],
                completion_time="Hari yang sama bila data sudah terekam dan blangko tersedia",
                completion_days=0,
                fee=GRATIS_ADMINDUK,
                product="Kartu Tanda Penduduk elektronik (KTP-el)",
                legal_basis=[UU_ADMINDUK, PERPRES_96_2018, PERMENDAGRI_108_2019],
                slot_minutes=15,
                slot_capacity=9,
                daily_quota=300,
                walk_in_reserve=50,
                priority_reserve=20,
            ),
            service(
                "kartu-keluarga",
                "Kartu Keluarga (baru, perubahan data, penggantian)",
                description="Penerbitan KK karena membentuk keluarga baru, perubahan susunan atau data keluarga.",
                requirements=[
                    "Formulir biodata keluarga (F-1.01)",
                    "KK lama bagi perubahan data atau penggantian",
                    "Buku nikah/kutipan akta perkawinan atau akta perceraian sesuai peristiwa",
                    "Surat Keterangan Pindah bagi penduduk pindah datang",
                    "Dokumen pendukung perubahan data (mis. ijazah, akta kelahiran)",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan formulir dan persyaratan di loket Disdukcapil",
                    "Petugas memverifikasi dan memperbarui data kependudukan",
                    "KK diterbitkan dengan tanda tangan elektronik dan dicetak",
                ],
                completion_time="Hari yang sama bila persyaratan lengkap",
                completion_days=0,
                fee=GRATIS_ADMINDUK,
                product="Kartu Keluarga bertanda tangan elektronik",
                legal_basis=[UU_ADMINDUK, PERPRES_96_2018, PERMENDAGRI_108_2019],
                slot_minutes=30,
                slot_capacity=1,
                daily_quota=20,
                walk_in_reserve=4,
                priority_reserve=2,
            ),
            service(
                "akta-kelahiran",
                "Akta kelahiran",
                description="Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.",
                requirements=[
                    "Surat keterangan kelahiran dari rumah sakit, puskesmas, dokter atau bidan",
                    "Buku nikah/kutipan akta perkawinan orang tua, atau SPTJM kebenaran sebagai pasangan suami istri",
                    "KK tempat anak didaftarkan",
                    "KTP-el orang tua atau pelapor",
                    "Formulir pelaporan pencatatan sipil (F-2.01)",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan formulir dan persyaratan di loket Disdukcapil",
                    "Petugas memverifikasi dan mencatat kelahiran",
                    "Kutipan akta kelahiran dan KK yang diperbarui diterbitkan",
                ],
                completion_time="Hari yang sama bila persyaratan lengkap",
                completion_days=0,
                fee=GRATIS_ADMINDUK,
                product="Kutipan akta kelahiran dan KK yang diperbarui",
                legal_basis=[UU_ADMINDUK, PERPRES_96_2018, PERMENDAGRI_108_2019],
                slot_minutes=30,
                slot_capacity=1,
                daily_quota=20,
                walk_in_reserve=4,
                priority_reserve=2,
            ),
            service(
                "pindah-datang",
                "Pindah datang penduduk (SKPWNI)",
                description="Surat Keterangan Pindah bagi penduduk yang pindah keluar dan pendaftaran penduduk datang.",
                requirements=[
                    "KK dan KTP-el pemohon",
                    "Formulir pendaftaran perpindahan penduduk (F-1.03)",
                    "Bagi penduduk datang: Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI) dari daerah asal",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan formulir dan persyaratan di loket Disdukcapil",
                    "Petugas memverifikasi dan memproses perpindahan",
                    "Pemohon menerima SKPWNI (pindah) atau KK dan KTP-el baru (datang)",
                ],
                completion_time="Hari yang sama bila persyaratan lengkap",
                completion_days=0,
                fee=GRATIS_ADMINDUK,
                product="SKPWNI; bagi penduduk datang KK dan KTP-el dengan alamat baru",
                legal_basis=[UU_ADMINDUK, PERPRES_96_2018, PERMENDAGRI_108_2019],
                slot_minutes=30,
                slot_capacity=9,
                daily_quota=150,
                walk_in_reserve=20,
                priority_reserve=10,
            ),
            service(
                "akta-kematian",
                "Akta kematian",
                description="Pencatatan kematian dan penerbitan kutipan akta kematian.",
                requirements=[
                    "Surat keterangan kematian dari rumah sakit, puskesmas, dokter atau kelurahan",
                    "KK dan KTP-el almarhum/almarhumah",
                    "KTP-el pelapor",
                    "Formulir pelaporan pencatatan sipil (F-2.01)",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan formulir dan persyaratan di loket Disdukcapil",
                    "Petugas memverifikasi dan mencatat kematian",
                    "Kutipan akta kematian dan KK yang diperbarui diterbitkan",
                ],
                completion_time="Hari yang sama bila persyaratan lengkap",
                completion_days=0,
                fee=GRATIS_ADMINDUK,
                product="Kutipan akta kematian dan KK yang diperbarui",
                legal_basis=[UU_ADMINDUK, PERPRES_96_2018, PERMENDAGRI_108_2019],
                slot_minutes=30,
                slot_capacity=1,
                daily_quota=20,
                walk_in_reserve=4,
                priority_reserve=2,
            ),
            service(
                "kia",
                "Kartu Identitas Anak (KIA)",
                description="Kartu identitas bagi anak berusia di bawah 17 tahun dan belum kawin.",
                requirements=[
                    "Kutipan akta kelahiran anak",
                    "KK orang tua/wali",
                    "KTP-el kedua orang tua/wali",
                    "Pas foto berwarna anak ukuran 2x3 bagi anak berusia 5 tahun ke atas",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan persyaratan di loket Disdukcapil",
                    "Petugas memverifikasi data anak",
                    "KIA dicetak dan diserahkan kepada orang tua/wali",
                ],
                completion_time="Hari yang sama bila persyaratan lengkap",
                completion_days=0,
                fee=GRATIS_ADMINDUK,
                product="Kartu Identitas Anak (KIA)",
                legal_basis=[
                    UU_ADMINDUK,
                    "Peraturan Menteri Dalam Negeri Nomor 2 Tahun 2016 tentang Kartu Identitas Anak",
                ],
                slot_minutes=30,
                slot_capacity=2,
                daily_quota=40,
                walk_in_reserve=8,
                priority_reserve=4,
            ),
        ],
    },
    {
        "code": "bapenda",
        "name": "Badan Pendapatan Daerah Kota Tangsel",
        "short": "Bapenda",
        "kind": "opd",
        "ticket_prefix": "D",
        "description": (
            "Badan Pendapatan Daerah Kota Tangerang Selatan: Pajak Bumi dan Bangunan Perdesaan dan Perkotaan "
            "(PBB-P2) dan Bea Perolehan Hak atas Tanah dan Bangunan (BPHTB)."
        ),
        **_place(1, "C"),
        "website": "https://www.tangerangselatankota.go.id/",
        "counters": 3,
        "services": [
            service(
                "pbb-mutasi",
                "PBB-P2: pendaftaran, mutasi dan pembetulan SPPT",
                description="Pendaftaran objek baru, balik nama, pemecahan atau penggabungan, dan pembetulan SPPT.",
                requirements=[
                    "Formulir Surat Pemberitahuan Objek Pajak (SPOP) dan lampirannya",
                    "KTP-el wajib pajak dan surat kuasa bila dikuasakan",
                    "Fotokopi sertipikat atau bukti kepemilikan tanah dan bangunan",
                    "SPPT PBB tahun terakhir dan bukti pelunasannya",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan formulir dan persyaratan di loket Bapenda",
                    "Petugas meneliti berkas dan, bila perlu, menjadwalkan penelitian lapangan",
                    "SPPT baru atau hasil pembetulan diterbitkan",
                ],
                completion_time="Paling lama 5 hari kerja setelah berkas lengkap (nilai demo)",
                completion_days=5,
                fee="Layanan gratis; PBB-P2 terutang sesuai Peraturan Daerah Kota Tangerang Selatan",
                product="SPPT PBB-P2 baru atau hasil pembetulan",
                legal_basis=[
                    UU_HKPD,
                    "Peraturan Daerah Kota Tangerang Selatan tentang Pajak Daerah dan Retribusi Daerah",
                ],
                slot_minutes=30,
                slot_capacity=4,
                daily_quota=50,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "bphtb",
                "Validasi BPHTB",
                description="Penelitian dan validasi SSPD BPHTB atas perolehan hak atas tanah dan bangunan.",
                requirements=[
                    "SSPD BPHTB yang telah diisi",
                    "KTP-el wajib pajak",
                    "Fotokopi sertipikat atau bukti kepemilikan tanah dan bangunan",
                    "SPPT PBB-P2 tahun berjalan dan bukti lunas",
                    "Bukti pembayaran BPHTB",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan SSPD BPHTB dan persyaratan di loket Bapenda",
                    "Petugas meneliti nilai perolehan dan pembayaran",
                    "SSPD BPHTB divalidasi untuk keperluan akta PPAT dan pendaftaran di Kantor Pertanahan",
                ],
                completion_time="Paling lama 3 hari kerja setelah berkas lengkap (nilai demo)",
                completion_days=3,
                fee="Layanan gratis; BPHTB terutang sesuai Peraturan Daerah Kota Tangerang Selatan",
                product="SSPD BPHTB tervalidasi",
                legal_basis=[
                    UU_HKPD,
                    "Peraturan Daerah Kota Tangerang Selatan tentang Pajak Daerah dan Retribusi Daerah",
                ],
                slot_minutes=30,
                slot_capacity=4,
                daily_quota=50,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "pbb-informasi",
                "Informasi tagihan dan salinan SPPT PBB-P2",
                description="Informasi tagihan dan tunggakan PBB-P2 serta cetak ulang SPPT.",
                requirements=["NOP (Nomor Objek Pajak) atau SPPT tahun sebelumnya", "KTP-el pemohon"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sebutkan NOP kepada petugas",
                    "Petugas memberi informasi tagihan dan mencetak salinan SPPT",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="Informasi tagihan dan salinan SPPT PBB-P2",
                legal_basis=[UU_HKPD],
                online_booking=False,
                slot_minutes=15,
                daily_quota=80,
                priority_reserve=8,
            ),
        ],
    },
    {
        "code": "samsat",
        "name": "Samsat",
        "short": "Samsat",
        "kind": "opd",
        "ticket_prefix": "S",
        "description": (
            "Sistem Administrasi Manunggal Satu Atap: Bapenda Provinsi Banten, Polri dan Jasa Raharja melayani "
            "pajak kendaraan bermotor, pengesahan STNK dan SWDKLLJ."
        ),
        **_place(1, "D"),
        "website": "",
        "counters": 3,
        "services": [
            service(
                "pkb-tahunan",
                "Pembayaran PKB tahunan dan pengesahan STNK",
                description="Pembayaran Pajak Kendaraan Bermotor dan SWDKLLJ tahunan serta pengesahan STNK.",
                requirements=[
                    "STNK asli",
                    "KTP-el asli sesuai nama di STNK, atau surat kuasa dan KTP-el penerima kuasa",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan STNK dan KTP-el di loket Samsat",
                    "Petugas menetapkan PKB, SWDKLLJ dan PNBP yang terutang",
                    "Bayar di kasir Samsat",
                    "STNK disahkan dan dikembalikan bersama notice pajak",
                ],
                completion_time="Hari yang sama",
                completion_days=0,
                fee=(
                    "PKB dan SWDKLLJ sesuai notice pajak kendaraan; PNBP pengesahan STNK sesuai PP Nomor 60 Tahun 2016"
                ),
                product="STNK yang disahkan dan notice pajak kendaraan bermotor",
                legal_basis=[
                    UU_LLAJ,
                    UU_HKPD,
                    "Peraturan Presiden Nomor 5 Tahun 2015 tentang Penyelenggaraan Sistem Administrasi Manunggal "
                    "Satu Atap Kendaraan Bermotor",
                    PP_PNBP_POLRI,
                ],
                slot_minutes=15,
                slot_capacity=4,
                daily_quota=100,
                walk_in_reserve=30,
                priority_reserve=8,
            ),
            service(
                "informasi-pkb",
                "Informasi pajak kendaraan bermotor",
                description="Informasi besaran PKB, tunggakan dan persyaratan layanan Samsat lainnya.",
                requirements=["Nomor polisi kendaraan atau STNK", "KTP-el pemohon"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sebutkan nomor polisi kendaraan kepada petugas",
                    "Petugas memberi informasi pajak dan persyaratan",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="Informasi pajak kendaraan bermotor",
                legal_basis=[UU_HKPD],
                online_booking=False,
                slot_minutes=15,
                daily_quota=60,
                priority_reserve=6,
            ),
        ],
    },
    {
        "code": "polres",
        "name": "Polres Tangerang Selatan",
        "short": "Polres",
        "kind": "pemerintah",
        "ticket_prefix": "P",
        "description": "Kepolisian Resor Tangerang Selatan: SKCK dan laporan kehilangan.",
        **_place(2, "A"),
        "website": "https://www.polri.go.id/",
        "counters": 2,
        "services": [
            service(
                "skck",
                "Surat Keterangan Catatan Kepolisian (SKCK)",
                description="Penerbitan SKCK baru dan perpanjangan untuk keperluan melamar kerja, sekolah dan lainnya.",
                requirements=[
                    "Fotokopi KTP-el",
                    "Fotokopi Kartu Keluarga",
                    "Fotokopi akta kelahiran atau ijazah terakhir",
                    "Pas foto berwarna 4x6 berlatar merah sebanyak 6 lembar",
                    "Formulir daftar riwayat hidup",
                    "SKCK lama bagi perpanjangan",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan persyaratan di loket Polres",
                    "Pengambilan sidik jari bagi pemohon yang belum memiliki kartu sidik jari",
                    "Petugas memeriksa catatan kepolisian",
                    "Bayar PNBP dan terima SKCK",
                ],
                completion_time="Hari yang sama bila persyaratan lengkap",
                completion_days=0,
                fee="Rp30.000 (PNBP, PP Nomor 60 Tahun 2016)",
                product="SKCK, berlaku 6 bulan",
                legal_basis=[
                    "Undang-Undang Nomor 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia",
                    PP_PNBP_POLRI,
                ],
                slot_minutes=30,
                slot_capacity=7,
                daily_quota=100,
                walk_in_reserve=10,
                priority_reserve=6,
            ),
            service(
                "laporan-kehilangan",
                "Surat tanda penerimaan laporan kehilangan",
                description="Laporan kehilangan barang atau dokumen, mis. untuk penggantian KTP-el atau kartu bank.",
                requirements=[
                    "KTP-el pelapor atau identitas lain",
                    "Keterangan barang atau dokumen yang hilang (fotokopi bila ada)",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sampaikan keterangan kehilangan kepada petugas",
                    "Petugas mencatat laporan",
                    "Pelapor menerima surat tanda penerimaan laporan",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="Surat tanda penerimaan laporan kehilangan",
                legal_basis=["Undang-Undang Nomor 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia"],
                online_booking=False,
                slot_minutes=15,
                daily_quota=60,
                priority_reserve=6,
            ),
        ],
    },
    {
        "code": "kejari",
        "name": "Kejaksaan Negeri Tangerang Selatan",
        "short": "Kejari",
        "kind": "pemerintah",
        "ticket_prefix": "K",
        "description": (
            "Kejaksaan Negeri Tangerang Selatan: pengambilan barang bukti tilang dan perkara yang telah diputus, "
            "serta pelayanan hukum gratis bidang perdata dan tata usaha negara."
        ),
        **_place(2, "B"),
        "website": "https://www.kejaksaan.go.id/",
        "counters": 2,
        "services": [
            service(
                "barang-bukti-tilang",
                "Pembayaran denda dan pengambilan barang bukti tilang",
                description="Pengambilan SIM atau STNK yang disita setelah perkara tilang diputus dan denda dibayar.",
                requirements=[
                    "Surat tilang atau nomor register tilang",
                    "KTP-el pelanggar, atau surat kuasa dan KTP-el penerima kuasa",
                    "Bukti pembayaran denda dan biaya perkara",
                ],
                procedure=[
                    "Periksa putusan dan besaran denda berdasarkan nomor register tilang",
                    "Bayar denda dan biaya perkara melalui bank yang ditunjuk",
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan surat tilang dan bukti bayar di loket Kejari",
                    "Barang bukti diserahkan kepada pelanggar",
                ],
                completion_time="Saat itu juga setelah pembayaran terverifikasi",
                completion_days=0,
                fee="Denda dan biaya perkara sesuai putusan hakim; layanan pengambilan gratis",
                product="Barang bukti tilang (SIM atau STNK) yang dikembalikan",
                legal_basis=[
                    UU_LLAJ,
                    UU_KEJAKSAAN,
                    "Peraturan Mahkamah Agung Nomor 12 Tahun 2016 tentang Tata Cara Penyelesaian Perkara Pelanggaran "
                    "Lalu Lintas",
                ],
                slot_minutes=15,
                slot_capacity=4,
                daily_quota=60,
                walk_in_reserve=15,
                priority_reserve=5,
            ),
            service(
                "pelayanan-hukum",
                "Pelayanan hukum gratis (perdata dan tata usaha negara)",
                description="Konsultasi hukum bagi masyarakat oleh Jaksa Pengacara Negara.",
                requirements=[
                    "KTP-el pemohon",
                    "Dokumen yang berkaitan dengan permasalahan hukum (bila ada)",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Sampaikan permasalahan hukum kepada jaksa di loket Kejari",
                    "Jaksa memberi pendapat atau saran hukum",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="Pendapat atau saran hukum",
                legal_basis=[UU_KEJAKSAAN],
                slot_minutes=30,
                slot_capacity=1,
                daily_quota=14,
                walk_in_reserve=3,
                priority_reserve=1,
            ),
        ],
    },
    {
        "code": "pn",
        "name": "Pengadilan Negeri",
        "short": "Pengadilan Negeri",
        "kind": "pemerintah",
        "ticket_prefix": "N",
        "description": "Pengadilan Negeri: informasi perkara, pendaftaran perkara elektronik dan legalisasi putusan.",
        **_place(2, "C"),
        "website": "https://www.mahkamahagung.go.id/",
        "counters": 2,
        "services": [
            service(
                "legalisasi-putusan",
                "Legalisasi salinan putusan dan penetapan",
                description="Pengesahan fotokopi salinan putusan atau penetapan Pengadilan Negeri.",
                requirements=[
                    "Salinan putusan atau penetapan asli",
                    "Fotokopi yang akan dilegalisasi",
                    "KTP-el pemohon",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan salinan asli dan fotokopi di loket Pengadilan Negeri",
                    "Bayar PNBP legalisasi",
                    "Petugas mencocokkan dan melegalisasi fotokopi",
                ],
                completion_time="1 hari kerja (nilai demo)",
                completion_days=1,
                fee="PNBP sesuai ketentuan Mahkamah Agung yang berlaku; rincian diumumkan di loket",
                product="Fotokopi putusan atau penetapan yang dilegalisasi",
                legal_basis=[UU_KEKUASAAN_KEHAKIMAN, UU_PERADILAN_UMUM],
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=40,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "informasi-perkara",
                "Informasi perkara dan pendampingan e-Court",
                description="Informasi jadwal dan status perkara serta bantuan pendaftaran gugatan melalui e-Court.",
                requirements=[
                    "KTP-el pemohon",
                    "Nomor perkara (untuk informasi perkara) atau berkas gugatan/permohonan (untuk pendaftaran)",
                    "Alamat email aktif untuk akun e-Court",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sampaikan keperluan kepada petugas",
                    "Petugas memberi informasi perkara atau membantu pendaftaran melalui e-Court",
                    "Pemohon membayar panjar biaya perkara secara elektronik bila mendaftar perkara",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                fee="Informasi gratis; panjar biaya perkara sesuai taksiran pengadilan bila mendaftar perkara",
                product="Informasi perkara atau bukti pendaftaran perkara",
                legal_basis=[UU_KEKUASAAN_KEHAKIMAN, PERMA_ECOURT],
                online_booking=False,
                daily_quota=40,
                priority_reserve=4,
            ),
        ],
    },
    {
        "code": "pa",
        "name": "Pengadilan Agama",
        "short": "Pengadilan Agama",
        "kind": "pemerintah",
        "ticket_prefix": "G",
        "description": "Pengadilan Agama: informasi dan pendaftaran perkara, akta cerai dan legalisasi putusan.",
        **_place(2, "D"),
        "website": "https://badilag.mahkamahagung.go.id/",
        "counters": 2,
        "services": [
            service(
                "legalisasi-akta-cerai",
                "Legalisasi akta cerai dan salinan putusan",
                description="Pengesahan fotokopi akta cerai, salinan putusan atau penetapan Pengadilan Agama.",
                requirements=[
                    "Akta cerai, salinan putusan atau penetapan asli",
                    "Fotokopi yang akan dilegalisasi",
                    "KTP-el pemohon",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan dokumen asli dan fotokopi di loket Pengadilan Agama",
                    "Bayar PNBP legalisasi",
                    "Petugas mencocokkan dan melegalisasi fotokopi",
                ],
                completion_time="1 hari kerja (nilai demo)",
                completion_days=1,
                fee="PNBP sesuai ketentuan Mahkamah Agung yang berlaku; rincian diumumkan di loket",
                product="Fotokopi akta cerai, putusan atau penetapan yang dilegalisasi",
                legal_basis=[UU_KEKUASAAN_KEHAKIMAN, UU_PERADILAN_AGAMA],
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=40,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "pendaftaran-perkara",
                "Informasi dan pendaftaran perkara (e-Court)",
                description="Informasi syarat gugatan atau permohonan dan bantuan pendaftaran perkara melalui e-Court.",
                requirements=[
                    "KTP-el pemohon",
                    "Surat gugatan atau permohonan",
                    "Buku nikah atau dokumen lain sesuai jenis perkara",
                    "Alamat email aktif untuk akun e-Court",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sampaikan keperluan kepada petugas Pengadilan Agama",
                    "Petugas memeriksa kelengkapan dan membantu pendaftaran melalui e-Court",
                    "Pemohon membayar panjar biaya perkara secara elektronik",
                    "Pemohon menerima nomor perkara dan jadwal sidang",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                fee="Informasi gratis; panjar biaya perkara sesuai taksiran pengadilan",
                product="Informasi perkara atau nomor perkara dan jadwal sidang",
                legal_basis=[UU_PERADILAN_AGAMA, PERMA_ECOURT],
                online_booking=False,
                daily_quota=40,
                priority_reserve=4,
            ),
        ],
    },
    {
        "code": "bpn",
        "name": "Kantor Pertanahan (ATR/BPN)",
        "short": "Kantor Pertanahan",
        "kind": "pemerintah",
        "ticket_prefix": "T",
        "description": "Kantor Pertanahan Kementerian ATR/BPN: informasi pertanahan dan pengecekan sertipikat.",
        **_place(2, "E"),
        "website": "https://www.atrbpn.go.id/",
        "counters": 2,
        "services": [
            service(
                "informasi-pertanahan",
                "Informasi pertanahan dan status sertipikat",
                description="Informasi prosedur pendaftaran tanah dan status berkas permohonan sertipikat.",
                requirements=[
                    "KTP-el pemohon",
                    "Fotokopi sertipikat atau nomor berkas permohonan (bila ada)",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Sampaikan keperluan kepada petugas Kantor Pertanahan",
                    "Petugas memberi informasi prosedur atau status berkas",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="Informasi pertanahan atau status berkas",
                legal_basis=[UUPA, PP_PENDAFTARAN_TANAH, PP_18_2021],
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=40,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "pengecekan-sertipikat",
                "Pengecekan sertipikat hak atas tanah",
                description="Pencocokan sertipikat dengan buku tanah, misalnya sebelum jual beli atau pengikatan.",
                requirements=[
                    "Sertipikat hak atas tanah asli",
                    "KTP-el pemilik, atau surat kuasa dan KTP-el penerima kuasa",
                    "Formulir permohonan",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan sertipikat dan persyaratan di loket Kantor Pertanahan",
                    "Bayar PNBP pengecekan",
                    "Petugas mencocokkan sertipikat dengan buku tanah",
                    "Sertipikat dikembalikan dengan catatan hasil pengecekan",
                ],
                completion_time="1 hari kerja (nilai demo)",
                completion_days=1,
                fee="PNBP sesuai PP Nomor 128 Tahun 2015",
                product="Sertipikat dengan catatan hasil pengecekan",
                legal_basis=[PP_PENDAFTARAN_TANAH, PP_PNBP_BPN],
                slot_minutes=30,
                slot_capacity=2,
                daily_quota=28,
                walk_in_reserve=6,
                priority_reserve=2,
            ),
        ],
    },
    {
        "code": "imigrasi",
        "name": "Kantor Imigrasi",
        "short": "Imigrasi",
        "kind": "pemerintah",
        "ticket_prefix": "M",
        "description": (
            "Kantor Imigrasi: paspor biasa bagi WNI dengan jadwal dari aplikasi M-Paspor, dan informasi keimigrasian."
        ),
        **_place(2, "F"),
        "website": "https://www.imigrasi.go.id/",
        "counters": 3,
        "services": [
            service(
                "paspor",
                "Paspor biasa (baru dan penggantian)",
                description=(
                    "Penerbitan paspor biasa bagi WNI. Jadwal kedatangan dipesan melalui aplikasi M-Paspor, "
                    "bukan melalui portal ini."
                ),
                requirements=[
                    "KTP-el",
                    "Kartu Keluarga",
                    "Akta kelahiran, ijazah, buku nikah atau surat baptis (salah satu)",
                    "Paspor lama bagi penggantian",
                    "Bukti jadwal dan pembayaran dari aplikasi M-Paspor",
                ],
                procedure=[
                    "Daftar dan pilih jadwal di MPP Kota Tangerang Selatan melalui aplikasi M-Paspor",
                    "Bayar PNBP dengan kode pembayaran dari M-Paspor",
                    "Datang sesuai jadwal dan ambil nomor antrean di loket Imigrasi",
                    "Verifikasi dokumen, wawancara, foto dan sidik jari",
                    "Ambil paspor sesuai tanggal yang diberitahukan petugas",
                ],
                completion_time="4 hari kerja setelah wawancara dan pembayaran",
                completion_days=4,
                fee=(
                    "Paspor biasa 48 halaman Rp350.000; paspor elektronik 48 halaman Rp650.000 "
                    "(PNBP, PP Nomor 28 Tahun 2019)"
                ),
                product="Paspor biasa Republik Indonesia",
                legal_basis=[UU_KEIMIGRASIAN, PP_KEIMIGRASIAN, PP_PNBP_KUMHAM],
                online_booking=False,
                external_booking_url="https://www.imigrasi.go.id/",
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=30,
                priority_reserve=5,
            ),
            service(
                "informasi-keimigrasian",
                "Informasi keimigrasian",
                description="Informasi persyaratan paspor dan keimigrasian, serta pendampingan aplikasi M-Paspor.",
                requirements=["KTP-el atau paspor pemohon"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sampaikan pertanyaan kepada petugas Imigrasi",
                    "Petugas memberi informasi atau membantu penggunaan aplikasi M-Paspor",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="Informasi keimigrasian",
                legal_basis=[UU_KEIMIGRASIAN],
                online_booking=False,
                slot_minutes=15,
                daily_quota=50,
                priority_reserve=5,
            ),
        ],
    },
    {
        "code": "kemenag",
        "name": "Kantor Kementerian Agama",
        "short": "Kemenag",
        "kind": "pemerintah",
        "ticket_prefix": "H",
        "description": (
            "Kantor Kementerian Agama Kota Tangerang Selatan: informasi pencatatan nikah, pendaftaran haji "
            "reguler dan sertifikasi halal."
        ),
        **_place(2, "G"),
        "website": "https://www.kemenag.go.id/",
        "counters": 2,
        "services": [
            service(
                "rekomendasi-nikah",
                "Informasi pencatatan nikah dan rekomendasi nikah",
                description=(
                    "Informasi persyaratan pencatatan nikah di KUA dan rekomendasi bagi calon pengantin yang "
                    "menikah di luar wilayah KUA domisilinya."
                ),
                requirements=[
                    "Surat pengantar nikah dari kelurahan",
                    "Fotokopi KTP-el dan Kartu Keluarga calon pengantin",
                    "Fotokopi akta kelahiran",
                    "Pas foto berlatar biru ukuran 2x3 dan 4x6",
                    "Izin orang tua bagi calon pengantin yang belum berusia 21 tahun",
                    "Akta cerai atau surat keterangan kematian pasangan bagi duda atau janda",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan persyaratan di loket Kemenag",
                    "Petugas memeriksa kelengkapan dan memberi informasi pendaftaran nikah di KUA",
                    "Surat rekomendasi nikah diterbitkan bila diperlukan",
                ],
                completion_time="Hari yang sama bila persyaratan lengkap",
                completion_days=0,
                fee=(
                    "Gratis; akad nikah di KUA pada jam kerja gratis, di luar KUA atau di luar jam kerja Rp600.000 "
                    "(PNBP, PP Nomor 48 Tahun 2014)"
                ),
                product="Informasi pencatatan nikah atau surat rekomendasi nikah",
                legal_basis=[UU_PERKAWINAN, PMA_PENCATATAN_NIKAH],
                slot_minutes=30,
                slot_capacity=2,
                daily_quota=28,
                walk_in_reserve=6,
                priority_reserve=2,
            ),
            service(
                "haji-reguler",
                "Pendaftaran haji reguler",
                description="Pendaftaran jemaah haji reguler setelah setoran awal BPIH.",
                requirements=[
                    "KTP-el berdomisili di Kota Tangerang Selatan",
                    "Kartu Keluarga",
                    "Akta kelahiran, ijazah atau buku nikah (salah satu)",
                    "Bukti setoran awal BPIH dari bank penerima setoran",
                    "Pas foto terbaru sesuai ketentuan",
                ],
                procedure=[
                    "Buka tabungan haji dan lakukan setoran awal BPIH di bank penerima setoran",
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan persyaratan di loket Kemenag",
                    "Perekaman data, foto dan sidik jari",
                    "Terima bukti pendaftaran haji dengan nomor porsi",
                ],
                completion_time="Hari yang sama",
                completion_days=0,
                fee="Pendaftaran gratis; setoran awal BPIH Rp25.000.000 melalui bank penerima setoran",
                product="Bukti pendaftaran haji dan nomor porsi",
                legal_basis=[UU_HAJI],
                slot_minutes=30,
                slot_capacity=2,
                daily_quota=28,
                walk_in_reserve=6,
                priority_reserve=2,
            ),
            service(
                "konsultasi-halal",
                "Konsultasi sertifikasi halal",
                description="Informasi dan pendampingan pengajuan sertifikat halal bagi pelaku usaha.",
                requirements=[
                    "KTP-el pelaku usaha",
                    "Nomor Induk Berusaha (NIB)",
                    "Daftar produk dan bahan yang digunakan",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sampaikan jenis usaha dan produk kepada petugas",
                    "Petugas menjelaskan jalur sertifikasi dan membantu pengajuan secara daring",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="Informasi dan bukti pengajuan sertifikasi halal",
                legal_basis=[UU_JPH],
                online_booking=False,
                daily_quota=30,
                priority_reserve=3,
            ),
        ],
    },
    {
        "code": "kpp",
        "name": "KPP Pratama",
        "short": "KPP Pratama",
        "kind": "pemerintah",
        "ticket_prefix": "W",
        "description": "Kantor Pelayanan Pajak Pratama: NPWP, EFIN dan bantuan pelaporan SPT Tahunan.",
        **_place(2, "H"),
        "website": "https://www.pajak.go.id/",
        "channels": ["Kring Pajak 1500200"],
        "counters": 2,
        "services": [
            service(
                "npwp",
                "Pendaftaran NPWP",
                description=(
                    "Pendaftaran wajib pajak orang pribadi dan badan. Bagi penduduk, NIK berfungsi sebagai NPWP."
                ),
                requirements=[
                    "Orang pribadi: KTP-el",
                    "Badan: akta pendirian dan SK pengesahan, KTP-el dan NPWP pengurus",
                    "Alamat email dan nomor ponsel aktif",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan persyaratan di loket KPP",
                    "Petugas memproses pendaftaran secara elektronik",
                    "NPWP elektronik dikirim ke email wajib pajak",
                ],
                completion_time="Hari yang sama bila persyaratan lengkap",
                completion_days=0,
                product="Nomor Pokok Wajib Pajak (NPWP) elektronik",
                legal_basis=[UU_KUP],
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=40,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "efin",
                "Permintaan EFIN",
                description="Electronic Filing Identification Number untuk lapor SPT dan akses layanan pajak daring.",
                requirements=["KTP-el asli wajib pajak", "NPWP atau NIK", "Alamat email dan nomor ponsel aktif"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Serahkan KTP-el di loket KPP",
                    "Petugas memverifikasi identitas dan menerbitkan EFIN",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="EFIN",
                legal_basis=[UU_KUP],
                online_booking=False,
                slot_minutes=15,
                daily_quota=60,
                priority_reserve=6,
            ),
            service(
                "bantuan-spt",
                "Bantuan pelaporan SPT Tahunan",
                description="Pendampingan wajib pajak orang pribadi mengisi dan menyampaikan SPT Tahunan daring.",
                requirements=[
                    "KTP-el dan NPWP",
                    "Bukti potong pajak dari pemberi kerja",
                    "Daftar harta dan utang",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Petugas mendampingi pengisian SPT Tahunan secara daring",
                    "Wajib pajak menerima bukti penerimaan elektronik",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                product="Bukti penerimaan elektronik SPT Tahunan",
                legal_basis=[UU_KUP],
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=40,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
        ],
    },
    {
        "code": "bpjstk",
        "name": "BPJS Ketenagakerjaan",
        "short": "BPJS Ketenagakerjaan",
        "kind": "pemerintah",
        "ticket_prefix": "J",
        "description": (
            "Badan Penyelenggara Jaminan Sosial Ketenagakerjaan (badan hukum publik): kepesertaan dan klaim "
            "Jaminan Hari Tua."
        ),
        **_place(3, "A"),
        "website": "https://www.bpjsketenagakerjaan.go.id/",
        "channels": ["Contact center BPJS Ketenagakerjaan 175"],
        "counters": 2,
        "services": [
            service(
                "klaim-jht",
                "Klaim Jaminan Hari Tua (JHT)",
                description="Pengajuan pembayaran manfaat JHT karena berhenti bekerja, pensiun atau sebab lain.",
                requirements=[
                    "Kartu peserta BPJS Ketenagakerjaan atau nomor peserta",
                    "KTP-el",
                    "Kartu Keluarga",
                    "Surat keterangan berhenti bekerja, PHK atau pensiun dari pemberi kerja",
                    "Buku tabungan atas nama peserta",
                    "NPWP bila saldo JHT di atas Rp50.000.000",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Serahkan persyaratan di loket BPJS Ketenagakerjaan",
                    "Petugas memverifikasi dokumen dan mewawancarai peserta",
                    "Manfaat JHT ditransfer ke rekening peserta",
                ],
                completion_time="Paling lama 5 hari kerja setelah persyaratan lengkap",
                completion_days=5,
                product="Pembayaran manfaat JHT ke rekening peserta",
                legal_basis=[UU_SJSN, UU_BPJS, PP_JHT, PERMENAKER_JHT],
                slot_minutes=30,
                slot_capacity=4,
                daily_quota=50,
                walk_in_reserve=6,
                priority_reserve=4,
            ),
            service(
                "kepesertaan-bpu",
                "Pendaftaran peserta bukan penerima upah",
                description="Pendaftaran pekerja mandiri (bukan penerima upah) dan informasi kepesertaan.",
                requirements=["KTP-el", "Nomor ponsel aktif", "Alamat email (bila ada)"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Serahkan KTP-el dan pilih program perlindungan",
                    "Petugas mendaftarkan peserta",
                    "Peserta membayar iuran pertama dan menerima kartu peserta digital",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                fee="Pendaftaran gratis; iuran bulanan sesuai program dan penghasilan yang dilaporkan",
                product="Kartu peserta BPJS Ketenagakerjaan digital",
                legal_basis=[UU_SJSN, UU_BPJS],
                online_booking=False,
                slot_minutes=15,
                daily_quota=40,
                priority_reserve=4,
            ),
        ],
    },
    {
        "code": "pos",
        "name": "PT Pos Indonesia",
        "short": "Pos Indonesia",
        "kind": "bumn",
        "ticket_prefix": "E",
        "description": "PT Pos Indonesia (Persero): pengiriman surat dan paket serta pembayaran tagihan.",
        **_place(1, "E"),
        "website": "https://www.posindonesia.co.id/",
        "channels": ["Halo Pos 1500161"],
        "counters": 2,
        "services": [
            service(
                "pengiriman",
                "Pengiriman surat, dokumen dan paket",
                description="Pengiriman dalam dan luar negeri, termasuk dokumen hasil layanan MPP.",
                requirements=[
                    "Kiriman yang dikemas dengan baik",
                    "Nama, alamat lengkap dan nomor ponsel penerima",
                    "KTP-el pengirim untuk kiriman tertentu",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Serahkan kiriman di loket Pos",
                    "Petugas menimbang dan menghitung biaya",
                    "Bayar dan terima resi berisi nomor lacak",
                ],
                completion_time="Sesuai jenis layanan kiriman yang dipilih",
                completion_days=0,
                fee="Sesuai tarif Pos Indonesia menurut jenis layanan, berat dan tujuan",
                product="Resi pengiriman dengan nomor lacak",
                legal_basis=[UU_POS],
                online_booking=False,
                slot_minutes=15,
                daily_quota=100,
                priority_reserve=10,
            ),
            service(
                "pembayaran-tagihan",
                "Pembayaran tagihan dan setoran",
                description="Pembayaran tagihan listrik, air, telepon, iuran BPJS, pajak dan setoran lainnya.",
                requirements=["Nomor pelanggan, kode bayar atau tagihan"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sebutkan nomor pelanggan atau kode bayar",
                    "Bayar di loket Pos",
                    "Terima bukti pembayaran",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                fee="Nilai tagihan ditambah biaya administrasi sesuai jenis tagihan",
                product="Bukti pembayaran",
                legal_basis=[UU_POS],
                online_booking=False,
                slot_minutes=15,
                daily_quota=100,
                priority_reserve=10,
            ),
        ],
    },
    {
        "code": "pln",
        "name": "PT PLN",
        "short": "PLN",
        "kind": "bumn",
        "ticket_prefix": "L",
        "description": "PT PLN (Persero): pasang baru, tambah daya dan pengaduan pelanggan listrik.",
        **_place(1, "F"),
        "website": "https://www.pln.co.id/",
        "channels": ["Contact center PLN 123 dan aplikasi PLN Mobile"],
        "counters": 2,
        "services": [
            service(
                "pasang-baru",
                "Pasang baru listrik",
                description="Permohonan sambungan listrik baru prabayar atau pascabayar.",
                requirements=[
                    "KTP-el pemohon",
                    "Alamat lengkap dan titik lokasi bangunan",
                    "Nomor ponsel dan email aktif",
                    "Sertifikat Laik Operasi (SLO) instalasi listrik sebelum penyambungan",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Ajukan permohonan di loket PLN atau melalui PLN Mobile",
                    "Bayar biaya penyambungan sesuai tagihan",
                    "Instalasi diperiksa dan SLO diterbitkan oleh lembaga inspeksi teknik",
                    "PLN memasang meter dan menyambung listrik",
                ],
                completion_time="Sesuai tingkat mutu pelayanan PLN, dihitung sejak biaya penyambungan dibayar",
                completion_days=5,
                fee="Biaya penyambungan sesuai daya yang dimohon, mengikuti ketentuan Menteri ESDM",
                product="Sambungan listrik baru dan ID pelanggan",
                legal_basis=[UU_KETENAGALISTRIKAN],
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=40,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "tambah-daya",
                "Tambah daya listrik",
                description="Perubahan daya tersambung bagi pelanggan PLN.",
                requirements=[
                    "KTP-el pemohon",
                    "ID pelanggan atau nomor meter",
                    "SLO instalasi bila diperlukan untuk daya baru",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Ajukan permohonan di loket PLN atau melalui PLN Mobile",
                    "Bayar biaya penyambungan tambah daya",
                    "PLN menyesuaikan meter dan pembatas daya",
                ],
                completion_time="Sesuai tingkat mutu pelayanan PLN, dihitung sejak biaya dibayar",
                completion_days=5,
                fee="Biaya penyambungan sesuai selisih daya, mengikuti ketentuan Menteri ESDM",
                product="Daya tersambung baru",
                legal_basis=[UU_KETENAGALISTRIKAN],
                slot_minutes=30,
                slot_capacity=3,
                daily_quota=40,
                walk_in_reserve=10,
                priority_reserve=4,
            ),
            service(
                "pengaduan-pln",
                "Pengaduan tagihan dan gangguan",
                description="Pengaduan tagihan, meter dan gangguan listrik.",
                requirements=["ID pelanggan atau nomor meter", "KTP-el pelapor"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sampaikan pengaduan kepada petugas PLN",
                    "Pengaduan dicatat dan diberi nomor laporan",
                    "PLN menindaklanjuti dan memberi kabar melalui ponsel",
                ],
                completion_time="Saat itu juga untuk pencatatan; tindak lanjut sesuai jenis pengaduan",
                completion_days=0,
                product="Nomor laporan pengaduan",
                legal_basis=[UU_KETENAGALISTRIKAN],
                online_booking=False,
                slot_minutes=15,
                daily_quota=40,
                priority_reserve=4,
            ),
        ],
    },
    {
        "code": "bjb",
        "name": "Bank bjb",
        "short": "bank bjb",
        "kind": "bumd",
        "ticket_prefix": "C",
        "description": (
            "PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk: pembukaan rekening dan pembayaran pajak "
            "daerah serta penerimaan negara."
        ),
        **_place(1, "G"),
        "website": "https://www.bankbjb.co.id/",
        "channels": ["bjb call 14049"],
        "counters": 2,
        "services": [
            service(
                "pembukaan-rekening",
                "Pembukaan rekening tabungan",
                description="Pembukaan rekening tabungan perorangan.",
                requirements=["KTP-el", "NPWP (bila ada)", "Setoran awal sesuai jenis tabungan"],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Isi formulir pembukaan rekening di loket bank bjb",
                    "Petugas memverifikasi identitas",
                    "Lakukan setoran awal dan terima buku tabungan serta kartu debit",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                fee="Tanpa biaya pembukaan; setoran awal dan biaya administrasi sesuai jenis tabungan",
                product="Buku tabungan dan kartu debit",
                legal_basis=[UU_PERBANKAN, UU_P2SK],
                slot_minutes=30,
                slot_capacity=2,
                daily_quota=28,
                walk_in_reserve=6,
                priority_reserve=2,
            ),
            service(
                "pembayaran-pajak-daerah",
                "Pembayaran pajak daerah dan penerimaan negara",
                description="Pembayaran PBB-P2, BPHTB, retribusi dan PNBP dengan kode bayar.",
                requirements=["Kode bayar, SPPT atau SSPD"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Serahkan kode bayar di loket bank bjb",
                    "Bayar tunai atau pemindahbukuan",
                    "Terima bukti pembayaran yang tervalidasi",
                ],
                completion_time="Saat itu juga",
                completion_days=0,
                fee="Sesuai nilai tagihan; tanpa biaya tambahan untuk pembayaran pajak daerah",
                product="Bukti pembayaran tervalidasi",
                legal_basis=[UU_HKPD, UU_PERBANKAN],
                online_booking=False,
                slot_minutes=15,
                daily_quota=100,
                priority_reserve=10,
            ),
        ],
    },
    {
        "code": "pits",
        "name": "PT Pembangunan Investasi Tangerang Selatan",
        "short": "PT PITS",
        "kind": "bumd",
        "ticket_prefix": "F",
        "description": "Badan usaha milik daerah Kota Tangerang Selatan: informasi layanan dan kerja sama usaha.",
        **_place(1, "H"),
        "website": "",
        "counters": 2,
        "services": [
            service(
                "informasi-pelanggan",
                "Informasi dan pengaduan pelanggan",
                description="Informasi layanan PT PITS dan penerimaan pengaduan pelanggan.",
                requirements=["KTP-el pemohon", "Nomor pelanggan (bila ada)"],
                procedure=[
                    "Ambil nomor antrean di MPP",
                    "Sampaikan keperluan kepada petugas PT PITS",
                    "Petugas memberi informasi atau mencatat pengaduan",
                ],
                completion_time="Saat itu juga untuk informasi; pengaduan sesuai jenisnya",
                completion_days=0,
                product="Informasi layanan atau nomor pengaduan",
                legal_basis=[UU_PEMDA, PP_BUMD],
                online_booking=False,
                daily_quota=30,
                priority_reserve=3,
            ),
            service(
                "kerja-sama-usaha",
                "Konsultasi kerja sama usaha dan investasi",
                description="Konsultasi peluang kemitraan dan kerja sama usaha dengan BUMD Kota Tangerang Selatan.",
                requirements=[
                    "KTP-el pemohon",
                    "Profil perusahaan dan NIB (bagi badan usaha)",
                    "Uraian usulan kerja sama",
                ],
                procedure=[
                    "Ambil nomor antrean di MPP atau pesan jadwal melalui portal",
                    "Sampaikan usulan kerja sama kepada petugas",
                    "Petugas menjelaskan tahapan dan mencatat usulan untuk ditindaklanjuti",
                ],
                completion_time="Saat itu juga untuk konsultasi",
                completion_days=0,
                product="Informasi tahapan dan tanda terima usulan kerja sama",
                legal_basis=[UU_PEMDA, PP_BUMD],
                slot_minutes=60,
                slot_capacity=1,
                daily_quota=7,
                walk_in_reserve=2,
                priority_reserve=1,
            ),
        ],
    },
]

# Demo staff. Names are invented; the usernames follow the contract: admin, and for
# each agency code X supervisor-X, officer-X-1 and officer-X-2; helpdesk for the help desk;
# kiosk for the lobby's kiosk.
ADMIN = {"username": "admin", "first_name": "Administrator", "last_name": "MPP"}
# DPMPTSP's front office: the help desk, with no agency and no administration.
HELP_DESK = {"username": "helpdesk", "first_name": "Meja", "last_name": "Bantuan"}
# The mall's kiosk device: it issues walk-in tickets and checks bookings in, nothing else.
KIOSK = {"username": "kiosk", "first_name": "Kiosk", "last_name": "Lobi"}

FIRST_NAMES = [
    "Rina", "Agus", "Dewi", "Budi", "Siti", "Hendra", "Nur", "Eko", "Fitri", "Andi", "Lestari", "Rudi",
    "Wulan", "Yusuf", "Ratna", "Dimas", "Intan", "Fajar", "Maya", "Taufik", "Sari", "Iwan", "Putri", "Rizky",
    "Ayu", "Bambang", "Nadia", "Arif", "Indah", "Joko", "Mega", "Hadi", "Tika", "Reza", "Yuni", "Gilang",
    "Citra", "Rahmat", "Dian", "Adi", "Novi", "Fauzi", "Anisa", "Wahyu", "Laras", "Irfan", "Endah", "Bayu",
    "Sinta", "Ilham", "Tari",
]  # fmt: skip
LAST_NAMES = [
    "Wulandari", "Santoso", "Hidayat", "Lestari", "Nugroho", "Rahmawati", "Saputra", "Kurniawan",
    "Permata", "Setiawan", "Handayani", "Pratama", "Susanti", "Firmansyah", "Maharani", "Gunawan", "Anggraini",
]  # fmt: skip


def staff_for(index: int, code: str) -> list[dict]:
    """The supervisor and two officers of the agency at position ``index``."""
    people = []
    for offset, (username, role) in enumerate(
        [(f"supervisor-{code}", "supervisor"), (f"officer-{code}-1", "officer"), (f"officer-{code}-2", "officer")]
    ):
        n = index * 3 + offset
        people.append(
            {
                "username": username,
                "role": role,
                "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
                "last_name": LAST_NAMES[(n * 7 + 3) % len(LAST_NAMES)],
                "counter_index": offset - 1 if role == "officer" else None,
            }
        )
    return people
