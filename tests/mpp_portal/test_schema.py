import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_is_valid_openapi_3(client):
    answer = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/agencies/", "/api/v1/services/", "/api/v1/counters/", "/api/v1/auth/token/"):
        assert path in schema["paths"]


def test_schema_generation_has_no_warnings(tmp_path):
    # --validate checks the document against the OpenAPI 3 JSON schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@pytest.mark.django_db
def test_api_docs_are_served_from_the_portal_itself(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "//unpkg" not in page and "jsdelivr" not in page
