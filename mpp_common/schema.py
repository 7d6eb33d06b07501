"""The OpenAPI document's error answers, declared where the view's own machinery can give
them, so that no operation answers a status its document leaves out (the API's
conformance test holds every answer to it)."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication

ErrorOutput = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(required=False, help_text="What a client can act on, e.g. slot_full"),
    },
)
# A 400 names each wrong field with its messages (a refusal at one field adds "code"),
# or carries a "detail" for a body that could not be read at all.
InvalidOutput = inline_serializer(
    "Invalid",
    {"code": serializers.CharField(required=False), "detail": serializers.CharField(required=False)},
)

INVALID = OpenApiResponse(InvalidOutput, description="Masukan tidak valid / bad input")
UNAUTHORIZED = OpenApiResponse(ErrorOutput, description="Tanpa kredensial atau token tidak dikenal")
FORBIDDEN = OpenApiResponse(ErrorOutput, description="Di luar wewenang pengguna")
NOT_FOUND = OpenApiResponse(ErrorOutput, description="Tidak ditemukan")
CONFLICT = OpenApiResponse(ErrorOutput, description="Bertentangan dengan keadaan saat ini")
UNSUPPORTED = OpenApiResponse(ErrorOutput, description="Jenis isi tidak didukung")
THROTTLED = OpenApiResponse(ErrorOutput, description="Terlalu banyak permintaan")
BUSY = OpenApiResponse(ErrorOutput, description="Kunci tidak didapat tepat waktu: coba lagi")

# Polling with the ETag of the last answer: 304 and no body while nothing changed.
IF_NONE_MATCH = OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, description="ETag of the last answer")
UNCHANGED = OpenApiResponse(description="Tidak berubah sejak ETag itu / unchanged")

_WRITES = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the answers DRF itself gives: 400 for input, 401
    where a token can be refused, 403 for a permission or the session's CSRF check, 404
    for a path parameter, 415 for a body, 429 for a throttle. 409 and 503 come from the
    operation's own logic and are declared on it (``CONFLICT``, ``BUSY``)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, answer in self._framework_errors().items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(answer.response, str(code), direction=direction)
                responses[str(code)]["description"] = answer.description
        return dict(sorted(responses.items()))

    def _framework_errors(self) -> dict[int, OpenApiResponse]:
        view = self.view
        errors = {}
        writes = self.method in _WRITES
        if writes or any(p["in"] == "query" for p in self._get_parameters()):
            errors[400] = INVALID
        authenticators = view.get_authenticators()
        # A refused token answers 401 only when the first authenticator names a scheme.
        if authenticators and authenticators[0].authenticate_header(None):
            errors[401] = UNAUTHORIZED
        guarded = any(not isinstance(p, permissions.AllowAny) for p in view.get_permissions())
        if guarded or (writes and any(isinstance(a, SessionAuthentication) for a in authenticators)):
            errors[403] = FORBIDDEN
        if "{" in self.path:
            errors[404] = NOT_FOUND
        if writes:
            errors[415] = UNSUPPORTED
        if view.get_throttles():
            errors[429] = THROTTLED
        return errors
