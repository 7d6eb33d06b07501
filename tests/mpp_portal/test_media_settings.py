"""The settings of the MoU documents stop the start with a clear message on a bad value."""

from tests.mpp_portal.test_settings import run_django


def test_an_internal_location_must_be_a_path_between_slashes():
    done = run_django(["check"], MEDIA_INTERNAL_LOCATION="internal-media")
    assert done.returncode != 0
    assert "MEDIA_INTERNAL_LOCATION='internal-media': use a path that starts and ends with /" in done.stderr


def test_the_document_size_limit_must_be_a_megabyte_or_more():
    done = run_django(["check"], MOU_DOCUMENT_MAX_MB="0")
    assert done.returncode != 0
    assert "MOU_DOCUMENT_MAX_MB=0: use 1 or more megabytes." in done.stderr


def test_good_values_start():
    done = run_django(["check"], MEDIA_INTERNAL_LOCATION="/internal-media/", MOU_DOCUMENT_MAX_MB="25")
    assert done.returncode == 0, done.stderr


def test_even_with_debug_on_no_url_serves_media():
    done = run_django(
        [
            "shell",
            "-c",
            "from django.urls import resolve, Resolver404\n"
            "try:\n    resolve('/media/mou/disdukcapil/x.pdf')\n    print('SERVED')\n"
            "except Resolver404:\n    print('NOT FOUND')",
        ],
        DEBUG="1",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("NOT FOUND")
