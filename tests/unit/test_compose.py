"""docker-compose.yml wires the app to PostgreSQL and Meilisearch through the register's own settings."""

from __future__ import annotations

import re

import yaml

from ila_register.settings import Settings
from support import ROOT


def test_services_images_and_variables_match_the_settings() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"app", "postgres", "meilisearch"}
    assert re.fullmatch(r"postgres:\d+\.\d+", services["postgres"]["image"])
    assert re.fullmatch(r"getmeili/meilisearch:v\d+\.\d+\.\d+", services["meilisearch"]["image"])
    environment = services["app"]["environment"]
    assert {"ILA_DATABASE_URL", "ILA_MEILI_URL", "ILA_MEILI_KEY", "ILA_BASE_URI", "ILA_BOOTSTRAP_ADMIN_TOKEN"} <= set(
        environment
    )
    assert environment["ILA_DATABASE_URL"].startswith("postgresql://")
    assert "@postgres:5432/" in environment["ILA_DATABASE_URL"]
    assert environment["ILA_MEILI_URL"] == "http://meilisearch:7700"
    # The variables mean what the settings say they mean.
    settings = Settings.from_env({k: v for k, v in environment.items() if "${" not in v})
    assert settings.database.url == environment["ILA_DATABASE_URL"]
    assert settings.search.meili_url == "http://meilisearch:7700"
    assert set(services["app"]["depends_on"]) == {"postgres", "meilisearch"}
