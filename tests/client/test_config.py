"""Configuration: constructor settings, derived URLs and `from_env`."""

from __future__ import annotations

import pytest

from tests.client.fakes import CLIENT_ID, CLIENT_SECRET, FakeClock, make_client
from uipath_emulator.client import ClientConfig, ConfigurationError, UiPathClient

FULL_ENV = {
    "UIPATH_URL": "https://cloud.uipath.com/acme/DefaultTenant",
    "UIPATH_CLIENT_ID": CLIENT_ID,
    "UIPATH_CLIENT_SECRET": CLIENT_SECRET,
}


@pytest.mark.parametrize(
    ("url", "base_url", "organization", "tenant"),
    [
        (
            "https://cloud.uipath.com/acme/DefaultTenant",
            "https://cloud.uipath.com",
            "acme",
            "DefaultTenant",
        ),
        (
            "https://cloud.uipath.com/acme/DefaultTenant/",
            "https://cloud.uipath.com",
            "acme",
            "DefaultTenant",
        ),
        (
            "http://127.0.0.1:8080/acme/DefaultTenant",
            "http://127.0.0.1:8080",
            "acme",
            "DefaultTenant",
        ),
        (
            "http://localhost:9000/acme/Dev%20Tenant",
            "http://localhost:9000",
            "acme",
            "Dev Tenant",
        ),
    ],
)
def test_from_env_splits_uipath_url_into_base_organization_and_tenant(
    url: str, base_url: str, organization: str, tenant: str
) -> None:
    """`UIPATH_URL` gives base, organization and tenant; names are percent-decoded."""
    config = ClientConfig.from_env({**FULL_ENV, "UIPATH_URL": url})
    assert (config.base_url, config.organization, config.tenant) == (base_url, organization, tenant)
    assert config.client_id == CLIENT_ID
    assert config.client_secret == CLIENT_SECRET


def test_from_env_without_scopes_asks_for_every_granted_scope() -> None:
    """A missing `UIPATH_SCOPES` means no scopes requested, i.e. all scopes granted to the app."""
    assert ClientConfig.from_env(FULL_ENV).scopes == ()


def test_from_env_splits_scopes_on_whitespace() -> None:
    """`UIPATH_SCOPES` is a space-separated list."""
    env = {**FULL_ENV, "UIPATH_SCOPES": " OR.Machines.Read  OR.Machines.Write "}
    assert ClientConfig.from_env(env).scopes == ("OR.Machines.Read", "OR.Machines.Write")


def test_from_env_names_every_missing_variable_in_one_error() -> None:
    """All missing (or blank) required variables are reported together, in one error."""
    with pytest.raises(ConfigurationError) as caught:
        ClientConfig.from_env({"UIPATH_CLIENT_ID": CLIENT_ID, "UIPATH_CLIENT_SECRET": "  "})
    assert caught.value.missing == ("UIPATH_URL", "UIPATH_CLIENT_SECRET")
    assert "UIPATH_URL" in str(caught.value)
    assert "UIPATH_CLIENT_SECRET" in str(caught.value)
    assert "UIPATH_CLIENT_ID" not in str(caught.value)


def test_from_env_with_an_empty_environment_names_all_three_variables() -> None:
    """An empty environment names UIPATH_URL, UIPATH_CLIENT_ID and UIPATH_CLIENT_SECRET."""
    with pytest.raises(ConfigurationError) as caught:
        UiPathClient.from_env({})
    assert caught.value.missing == ("UIPATH_URL", "UIPATH_CLIENT_ID", "UIPATH_CLIENT_SECRET")


def test_from_env_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an explicit mapping, `from_env` reads the process environment."""
    for name, value in FULL_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("UIPATH_SCOPES", raising=False)
    with UiPathClient.from_env() as uipath:
        assert uipath.config.organization == "acme"


@pytest.mark.parametrize(
    "url", ["cloud.uipath.com/acme/DefaultTenant", "https://cloud.uipath.com/acme", "ftp://x/a/b"]
)
def test_from_env_rejects_a_url_without_organization_and_tenant(url: str) -> None:
    """A `UIPATH_URL` that is not `http(s)://host/{org}/{tenant}` is a configuration error."""
    with pytest.raises(ConfigurationError, match="UIPATH_URL must look like"):
        ClientConfig.from_env({**FULL_ENV, "UIPATH_URL": url})


def test_token_url_defaults_to_the_organization_scoped_identity_endpoint() -> None:
    """The token URL is `{base}/{organization}/identity_/connect/token`, as in the guide."""
    config = ClientConfig.from_env(FULL_ENV)
    assert config.token_endpoint == "https://cloud.uipath.com/acme/identity_/connect/token"
    assert config.odata_url == "https://cloud.uipath.com/acme/DefaultTenant/orchestrator_/odata"


def test_token_url_can_be_overridden_with_the_organization_less_form() -> None:
    """`token_url` replaces the default, e.g. with `{base}/identity_/connect/token`."""
    with make_client(
        clock=FakeClock(), sleeps=[], token_url="https://cloud.uipath.com/identity_/connect/token"
    ) as uipath:
        assert uipath.config.token_endpoint == "https://cloud.uipath.com/identity_/connect/token"


def test_constructor_accepts_scopes_as_a_string_and_one_timeout_for_both_phases() -> None:
    """A scopes string is split on spaces; a single timeout is used for connect and read."""
    with make_client(clock=FakeClock(), sleeps=[], scopes="A B", timeout=5) as uipath:
        assert uipath.config.scopes == ("A", "B")
        assert uipath.config.timeout == (5, 5)


@pytest.mark.parametrize("setting", ["organization", "tenant", "client_id", "client_secret"])
def test_empty_required_settings_are_rejected(setting: str) -> None:
    """An empty organization, tenant, client id or secret fails when the client is built."""
    with pytest.raises(ConfigurationError, match=setting):
        make_client(clock=FakeClock(), sleeps=[], **{setting: ""})


def test_from_config_builds_a_client_with_the_same_settings() -> None:
    """`UiPathClient.from_config` keeps every setting of the config it is given."""
    config = ClientConfig.from_env({**FULL_ENV, "UIPATH_SCOPES": "OR.Machines"})
    with UiPathClient.from_config(config) as uipath:
        assert uipath.config == config


def test_timeout_pair_may_be_a_list() -> None:
    """A (connect, read) timeout given as a list is used as that pair, not doubled."""
    client = UiPathClient(
        organization="acme", tenant="T", client_id="id", client_secret="s", timeout=[1, 2]
    )
    assert client.config.timeout == (1.0, 2.0)


@pytest.mark.parametrize(
    ("url", "remedy"),
    [
        (
            "http://127.0.0.1:8080/acme/DefaultTenant/orchestrator_",
            "(remove '/orchestrator_'; the client adds '/orchestrator_' itself)",
        ),
        (
            "https://cloud.uipath.com/acme/DefaultTenant/orchestrator_/odata/Machines",
            "(remove '/orchestrator_/odata/Machines'; the client adds '/orchestrator_' itself)",
        ),
        ("http://localhost:9000/emu/acme/Dev", "(remove '/Dev')"),
    ],
)
def test_uipath_url_with_more_than_organization_and_tenant_is_refused(
    url: str, remedy: str
) -> None:
    """A `UIPATH_URL` with path segments after the tenant is refused, saying what to remove."""
    with pytest.raises(ConfigurationError) as raised:
        ClientConfig.from_env({**FULL_ENV, "UIPATH_URL": url})
    assert str(raised.value) == (
        "UIPATH_URL must look like https://cloud.uipath.com/{organization}/{tenant} with nothing "
        f"after the tenant, got {url!r} {remedy}"
    )
