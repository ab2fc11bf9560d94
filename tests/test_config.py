"""Settings of `aluekg serve` from ALUEKG_* variables, and the messages for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from aluekg.config import Settings
from aluekg.errors import ConfigError


def test_serve_settings_default_to_safe_limits() -> None:
    settings = Settings.from_env({})
    assert (settings.workers, settings.query_timeout, settings.cache) == (2, 30.0, True)
    assert settings.service_allowlist == ()
    assert settings.data_files == ()


def test_serve_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "ALUEKG_DATA": "a.ttl:more",
            "ALUEKG_BASE_IRI": "https://example.org/",
            "ALUEKG_STORE_DIR": "/tmp/x",
            "ALUEKG_WORKERS": "0",
            "ALUEKG_QUERY_TIMEOUT": "1.5",
            "ALUEKG_MAX_REQUEST_BYTES": "10",
            "ALUEKG_MAX_RESULT_BYTES": "20",
            "ALUEKG_SERVICE_ALLOWLIST": "https://a.example/sparql https://b.example/sparql",
            "ALUEKG_CACHE": "off",
            "ALUEKG_CACHE_BYTES": "30",
        }
    )
    assert settings.data_files == (Path("a.ttl"), Path("more"))
    assert settings.base_iri == "https://example.org/"
    assert settings.store_dir == Path("/tmp/x")
    assert (settings.workers, settings.query_timeout) == (0, 1.5)
    assert (settings.max_request_bytes, settings.max_result_bytes) == (10, 20)
    assert settings.service_allowlist == ("https://a.example/sparql", "https://b.example/sparql")
    assert (settings.cache, settings.cache_bytes) == (False, 30)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        pytest.param(
            {"ALUEKG_WORKERS": "many"},
            "ALUEKG_WORKERS must be a whole number of 0 or more, not 'many'",
            id="workers",
        ),
        pytest.param(
            {"ALUEKG_QUERY_TIMEOUT": "-1"},
            "ALUEKG_QUERY_TIMEOUT must be a positive number, not '-1'",
            id="timeout",
        ),
        pytest.param(
            {"ALUEKG_MAX_RESULT_BYTES": "0"},
            "ALUEKG_MAX_RESULT_BYTES must be a number of bytes (1 or more), not '0'",
            id="result size",
        ),
        pytest.param(
            {"ALUEKG_CACHE": "maybe"},
            "ALUEKG_CACHE must be on or off (or true/false, yes/no, 1/0), not 'maybe'",
            id="cache",
        ),
    ],
)
def test_bad_serve_setting_names_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(environ)
    assert str(caught.value) == message
