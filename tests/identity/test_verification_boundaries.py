"""Token verification at its edges: exact lifetimes, leeway, claim shapes, issuer, audience, cache.

Every refusal is checked by its whole `WWW-Authenticate` challenge, since the description is
what a developer reads. Times are set on a frozen emulator clock at whole seconds, so `exp` and
`nbf` are hit exactly.
"""

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from flask.testing import FlaskClient

from tests.identity.signing import (
    EXPIRES,
    ISSUED,
    REQUIRED_CLAIMS,
    claims_at,
    frozen_emulator,
    sign,
)
from tests.orchestrator.helpers import MACHINES, assert_orchestrator_error
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.identity import verification
from uipath_emulator.mock_server.identity.tokens import ORCHESTRATOR_AUDIENCE, SigningKey
from uipath_emulator.mock_server.identity.verification import InvalidTokenError, TokenVerifier
from uipath_emulator.mock_server.well_known import FULL


def get_machines(emulator: Emulator, token: str) -> Any:
    """`GET Machines` with `token` as the bearer token."""
    http: FlaskClient = emulator.app.test_client()
    return http.get(MACHINES, headers={"Authorization": f"Bearer {token}"})


def challenge(description: str) -> str:
    """The `WWW-Authenticate` header of a refused token with this description."""
    return f'Bearer error="invalid_token", error_description="{description}"'


def assert_refused(response: Any, description: str) -> None:
    """401 in Orchestrator's shape, with exactly this description in the challenge."""
    message = assert_orchestrator_error(response, 401, 0)
    assert message == "You are not authenticated!"
    assert response.headers["WWW-Authenticate"] == challenge(description)


def test_token_is_accepted_until_just_before_its_exp_second() -> None:
    """A token still works a millisecond before `exp`."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED))
    emulator.clock.set(EXPIRES - 0.001)
    assert get_machines(emulator, token).status_code == 200


def test_token_is_refused_at_exactly_its_exp_second() -> None:
    """At `exp` exactly the token is expired, and the answer says when, as ASP.NET writes it."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED))
    emulator.clock.set(EXPIRES)
    assert_refused(get_machines(emulator, token), "The token expired at '01/15/2027 09:00:00'")


def test_expiry_is_shown_in_utc_whatever_the_local_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The expiry in the description is UTC, also on a machine set to another time zone."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        emulator = frozen_emulator()
        token = sign(emulator.signing_key, claims_at(ISSUED))
        emulator.clock.set(EXPIRES)
        assert_refused(get_machines(emulator, token), "The token expired at '01/15/2027 09:00:00'")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_leeway_of_five_seconds_accepts_until_just_before_exp_plus_five() -> None:
    """With the largest leeway (5 s) a token works until 5 s after `exp`, not one instant more."""
    emulator = frozen_emulator(leeway=5)
    token = sign(emulator.signing_key, claims_at(ISSUED))
    emulator.clock.set(EXPIRES + 4.999)
    assert get_machines(emulator, token).status_code == 200
    emulator.clock.set(EXPIRES + 5)
    assert_refused(get_machines(emulator, token), "The token expired at '01/15/2027 09:00:00'")


def test_token_is_accepted_from_exactly_its_nbf_second() -> None:
    """At `nbf` exactly the token is valid."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED))
    assert get_machines(emulator, token).status_code == 200


def test_token_is_refused_just_before_its_nbf_second() -> None:
    """A millisecond before `nbf` the token is refused, saying from when it is valid."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED))
    emulator.clock.set(ISSUED - 0.001)
    assert_refused(
        get_machines(emulator, token), "The token is not valid before '01/15/2027 08:00:00'"
    )


def test_leeway_of_five_seconds_accepts_from_nbf_minus_five() -> None:
    """With a 5 s leeway a token works from 5 s before `nbf`, and not a millisecond earlier."""
    emulator = frozen_emulator(leeway=5)
    token = sign(emulator.signing_key, claims_at(ISSUED))
    emulator.clock.set(ISSUED - 5)
    assert get_machines(emulator, token).status_code == 200
    emulator.clock.set(ISSUED - 5.001)
    assert_refused(
        get_machines(emulator, token), "The token is not valid before '01/15/2027 08:00:00'"
    )


@pytest.mark.parametrize(
    "issued",
    [978_307_200, 4_102_444_800],
    ids=["2001, long expired by the wall clock", "2100, not yet valid by the wall clock"],
)
def test_lifetime_follows_the_emulator_clock_not_the_wall_clock(issued: int) -> None:
    """A token valid on the emulator's clock is accepted whatever the machine's real time is."""
    emulator = frozen_emulator(issued)
    token = sign(emulator.signing_key, claims_at(issued))
    assert get_machines(emulator, token).status_code == 200


def test_expiry_too_early_for_a_calendar_is_described_in_seconds() -> None:
    """An `exp` before year 1 is shown as seconds after the epoch instead of a date."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED, exp=-1e20))
    assert_refused(
        get_machines(emulator, token),
        "The token expired at '-100000000000000000000 seconds after the Unix epoch'",
    )


@pytest.mark.parametrize("claim", REQUIRED_CLAIMS)
@pytest.mark.parametrize("absent", ["missing", "null"])
def test_token_without_a_required_claim_is_refused_naming_it(claim: str, absent: str) -> None:
    """Each claim the API reads must be present and not null, else 401 naming it (never 500)."""
    emulator = frozen_emulator()
    claims = claims_at(ISSUED)
    if absent == "missing":
        del claims[claim]
    else:
        claims[claim] = None
    token = sign(emulator.signing_key, claims)
    assert_refused(get_machines(emulator, token), f"The token has no '{claim}' claim")


@pytest.mark.parametrize("claim", ["exp", "nbf"])
@pytest.mark.parametrize("value", ["1800003600", True, [1], {"at": 1}], ids=repr)
def test_lifetime_claim_that_is_not_a_number_is_refused(claim: str, value: Any) -> None:
    """`exp`/`nbf` as a string, a Boolean, a list or an object is refused, naming the claim."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED, **{claim: value}))
    assert_refused(get_machines(emulator, token), f"The token's '{claim}' claim is not a number")


@pytest.mark.parametrize("claim", ["exp", "nbf"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")], ids=repr)
def test_lifetime_claim_that_is_not_finite_is_refused(claim: str, value: float) -> None:
    """`exp`/`nbf` of NaN or an infinity is refused with its own description."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED, **{claim: value}))
    assert_refused(
        get_machines(emulator, token), f"The token's '{claim}' claim is not a finite number"
    )


@pytest.mark.parametrize("claim", ["exp", "nbf"])
@pytest.mark.parametrize("value", [10**400, -(10**400)], ids=["+10**400", "-10**400"])
def test_lifetime_claim_beyond_any_float_is_refused_not_a_500(claim: str, value: int) -> None:
    """A JSON integer too large for a float in `exp`/`nbf` is refused with 401, not a crash."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED, **{claim: value}))
    assert_refused(get_machines(emulator, token), f"The token's '{claim}' claim is out of range")


def test_fractional_lifetime_claims_are_accepted() -> None:
    """`exp` and `nbf` may be JSON numbers with a fraction, as JWT NumericDate allows."""
    emulator = frozen_emulator()
    claims = claims_at(ISSUED, nbf=ISSUED - 0.5, exp=EXPIRES + 0.5)
    token = sign(emulator.signing_key, claims)
    emulator.clock.set(EXPIRES + 0.25)
    assert get_machines(emulator, token).status_code == 200


@pytest.mark.parametrize(
    "issuer",
    ["https://cloud.uipath.com/identity", "https://cloud.uipath.com/identity_/x", 123],
    ids=["no trailing underscore", "a path after identity_", "a number"],
)
def test_token_with_a_wrong_issuer_is_refused(issuer: Any) -> None:
    """An `iss` that is not a string ending in `/identity_` is refused, quoting it."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED, iss=issuer))
    assert_refused(get_machines(emulator, token), f"The issuer '{issuer}' is invalid")


def test_token_issued_through_another_host_name_is_accepted() -> None:
    """Any `{base}/identity_` issuer is accepted: the emulator is reachable under many names."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED, iss="https://127.0.0.1:1/identity_"))
    assert get_machines(emulator, token).status_code == 200


@pytest.mark.parametrize(
    ("audience", "shown"),
    [
        ("UiPath.OrchestratorX", "UiPath.OrchestratorX"),
        ("Orchestrator", "Orchestrator"),
        ("uipath.orchestrator", "uipath.orchestrator"),
        (["UiPath.Identity", "Other"], "['UiPath.Identity', 'Other']"),
        ([], "[]"),
        ({"UiPath.Orchestrator": 1}, "{'UiPath.Orchestrator': 1}"),
    ],
    ids=["longer", "shorter", "other case", "list without it", "empty list", "object"],
)
def test_token_for_another_audience_is_refused(audience: Any, shown: str) -> None:
    """`aud` must be exactly `UiPath.Orchestrator` or a list holding it; else 401 quoting it."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED, aud=audience))
    assert_refused(get_machines(emulator, token), f"The audience '{shown}' is invalid")


def test_audience_list_holding_orchestrator_is_accepted() -> None:
    """A list-valued `aud` that includes `UiPath.Orchestrator` is accepted."""
    emulator = frozen_emulator()
    audience = ["UiPath.Identity", ORCHESTRATOR_AUDIENCE]
    token = sign(emulator.signing_key, claims_at(ISSUED, aud=audience))
    assert get_machines(emulator, token).status_code == 200


def test_token_with_another_kid_is_refused_as_an_unknown_key() -> None:
    """A token whose `kid` is not the emulator's key is refused before its signature is read."""
    emulator = frozen_emulator()
    stranger = SigningKey.generate()
    assert_refused(
        get_machines(emulator, sign(stranger, claims_at(ISSUED))),
        "The signature key was not found",
    )


def test_token_with_the_right_kid_but_another_signature_is_refused() -> None:
    """Signed by another key under the emulator's `kid`: the signature is invalid."""
    emulator = frozen_emulator()
    stranger = SigningKey(SigningKey.generate().private_key, emulator.signing_key.kid)
    assert_refused(
        get_machines(emulator, sign(stranger, claims_at(ISSUED))), "The signature is invalid"
    )


@pytest.mark.parametrize("token", ["abc", "a.b", "a.b.c"])
def test_text_that_is_not_a_jwt_is_malformed(token: str) -> None:
    """Something that is not a JWT is refused as malformed."""
    assert_refused(get_machines(frozen_emulator(), token), "The token is malformed")


def test_signed_payload_that_is_not_an_object_is_malformed() -> None:
    """A correctly signed payload that is a JSON array is malformed, not a crash."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, [1])
    assert_refused(get_machines(emulator, token), "The token is malformed")


def test_other_algorithm_is_refused_naming_the_allowed_one() -> None:
    """A token signed with another algorithm (here HS256) is refused: only RS256 is allowed."""
    emulator = frozen_emulator()
    token = jwt.encode(
        claims_at(ISSUED), "a-shared-secret-of-32-bytes-or-more", algorithm="HS256",
        headers={"kid": emulator.signing_key.kid},
    )  # fmt: skip
    assert_refused(
        get_machines(emulator, token), "The token's algorithm is not allowed (only RS256 is)"
    )


@pytest.mark.parametrize("leeway", [-1, 6])
def test_leeway_outside_zero_to_five_seconds_is_refused(leeway: int) -> None:
    """A verifier leeway below 0 or above 5 seconds is a configuration error."""
    with pytest.raises(ValueError, match=r"^leeway must be between 0 and 5 seconds$"):
        TokenVerifier(SigningKey.generate(), audience=ORCHESTRATOR_AUDIENCE, leeway=leeway)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens the verifier decoded (checked the signature of), in order."""
    seen: list[str] = []
    decode: Callable[..., Any] = jwt.decode

    def counting_decode(token: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(verification.jwt, "decode", counting_decode)
    return seen


def test_each_token_is_decoded_once_while_cached(decodes: list[str]) -> None:
    """Verifying one token three times checks its signature once; lifetime is checked each time."""
    key = SigningKey.generate()
    verifier = TokenVerifier(key, audience=ORCHESTRATOR_AUDIENCE)
    token = sign(key, claims_at(ISSUED))
    for _ in range(3):
        assert verifier.verify(token, ISSUED)["sub"] == FULL.client_id
    assert decodes == [token]
    with pytest.raises(InvalidTokenError, match=r"^The token expired at '01/15/2027 09:00:00'$"):
        verifier.verify(token, EXPIRES)


def test_default_cache_holds_4096_tokens() -> None:
    """Without `cache_size`, the 4097th new token evicts the oldest, and only it."""
    verifier = TokenVerifier(SigningKey.generate(), audience=ORCHESTRATOR_AUDIENCE)
    decoded: list[str] = []

    def decode(token: str) -> dict[str, Any]:
        decoded.append(token)
        return claims_at(ISSUED)

    verifier._decode = decode  # type: ignore[method-assign]  # no signing: 4,097 tokens are cheap
    tokens = [f"token-{n}" for n in range(4097)]
    for token in tokens:
        verifier.verify(token, ISSUED)
    verifier.verify(tokens[1], ISSUED)
    verifier.verify(tokens[0], ISSUED)
    assert decoded == [*tokens, tokens[0]]


def test_cache_forgets_the_least_recently_used_token_past_its_size(decodes: list[str]) -> None:
    """With room for two tokens, a third evicts the one used longest ago, not a recent one."""
    key = SigningKey.generate()
    verifier = TokenVerifier(key, audience=ORCHESTRATOR_AUDIENCE, cache_size=2)
    first, second, third = (sign(key, claims_at(ISSUED, jti=str(n))) for n in range(3))
    for token in (first, second, first, third, first, second):
        verifier.verify(token, ISSUED)
    assert decodes == [first, second, third, second]


def test_a_token_the_emulator_issued_is_used_without_decoding_and_as_decoded(
    decodes: list[str],
) -> None:
    """A token from the token endpoint is taken at its first use without a signature check,
    and what the emulator kept is exactly what decoding the token gives."""
    emulator = Emulator()
    http: FlaskClient = emulator.app.test_client()
    answer = http.post(
        "/acme/identity_/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": FULL.client_id,
            "client_secret": FULL.client_secret,
        },
    )
    token = answer.get_json()["access_token"]
    assert get_machines(emulator, token).status_code == 200
    assert decodes == []
    kept = emulator.verifier.verify(token, emulator.clock.now())
    assert kept == jwt.decode(token, options={"verify_signature": False})


def test_claims_signed_with_another_key_or_refused_are_not_remembered(decodes: list[str]) -> None:
    """`remember` keeps nothing for a token signed with another key, or for claims that
    verification refuses: such a token is decoded, and refused, at its use."""
    key = SigningKey.generate()
    verifier = TokenVerifier(key, audience=ORCHESTRATOR_AUDIENCE)
    other = SigningKey.generate()
    foreign = sign(other, claims_at(ISSUED))
    verifier.remember(foreign, claims_at(ISSUED), other)
    with pytest.raises(InvalidTokenError, match=r"^The signature key was not found$"):
        verifier.verify(foreign, ISSUED)
    wrong_audience = claims_at(ISSUED, aud="UiPath.Other")
    token = sign(key, wrong_audience)
    verifier.remember(token, wrong_audience, key)
    with pytest.raises(InvalidTokenError, match=r"^The audience 'UiPath\.Other' is invalid$"):
        verifier.verify(token, ISSUED)
    assert decodes == [token]
