"""Property: whatever form body arrives, the token endpoint answers 200 or a valid OAuth 400."""

import string
from urllib.parse import quote_from_bytes

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.identity.helpers import post_token
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import FULL

OAUTH_ERRORS = {
    "invalid_request",
    "invalid_client",
    "unsupported_grant_type",
    "unauthorized_client",
    "invalid_grant",
    "invalid_scope",
}
KNOWN_NAMES = ["grant_type", "client_id", "client_secret", "scope", "code", "refresh_token"]
KNOWN_VALUES = ["client_credentials", FULL.client_id, str(FULL.client_secret), "OR.Machines"]

names = st.one_of(st.sampled_from(KNOWN_NAMES), st.text(max_size=20))
values = st.one_of(st.sampled_from(KNOWN_VALUES), st.text(max_size=200))
encoded_pairs = st.lists(st.tuples(names, values), max_size=12).map(
    lambda pairs: "&".join(
        f"{quote_from_bytes(n.encode('utf-8', 'surrogatepass'))}="
        f"{quote_from_bytes(v.encode('utf-8', 'surrogatepass'))}"
        for n, v in pairs
    ).encode()
)
raw_bytes = st.binary(max_size=2000)
raw_text = st.text(alphabet=string.printable + "%&=+é\u2028", max_size=500).map(str.encode)
bodies = st.one_of(encoded_pairs, raw_bytes, raw_text, st.just(b"a=" + b"b" * (1024 * 1024 - 2)))

_http: FlaskClient = Emulator().app.test_client()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies)
def test_any_form_body_gets_200_or_an_oauth_400(body: bytes) -> None:
    """Any body up to the size limit gets 200 with a token or 400 with a known OAuth error code."""
    response = post_token(_http, body)
    assert response.status_code in (200, 400)
    payload = response.get_json()
    if response.status_code == 200:
        assert set(payload) == {"access_token", "expires_in", "token_type", "scope"}
    else:
        assert payload["error"] in OAUTH_ERRORS
        assert set(payload) <= {"error", "error_description"}
