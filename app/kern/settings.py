import ipaddress
import json
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set, as `WIJKCONTACT_<NAME>` or in a `.env` file."""

    model_config = SettingsConfigDict(
        env_prefix="WIJKCONTACT_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = "sqlite:///wijkcontact.db"
    gebiedsindeling: Path | None = None
    codelijsten: Path | None = None
    # The monitor's questionnaires, replacing the packaged app/ervaring/vragenlijsten.json.
    vragenlijsten: Path | None = None
    # Definitions of the outside effect figures, replacing app/indicatoren/indicatoren.json.
    indicatoren: Path | None = None
    startdatum: date = date(2024, 1, 1)
    tijdzone: str = "Europe/Amsterdam"
    min_cel: int = Field(default=5, ge=1)
    sessie_uren: float = Field(default=9.0, gt=0)
    correctie_dagen: int = Field(default=14, ge=0)
    inlog_max_pogingen: int = Field(default=5, ge=1)
    inlog_max_pogingen_per_adres: int = Field(default=20, ge=1)
    inlog_blokkade_minuten: float = Field(default=15.0, gt=0)
    inlog_vertraging_seconden: float = Field(default=0.5, ge=0)
    # Questions a rapportage account may ask per clock hour (UTC) of the routes that answer
    # figures; the count lives in the database, so replicas and workers share it.
    rapportage_per_uur: int = Field(default=600, ge=1)
    # Days after a month, quarter or year ends before the rapportage role sees it: late
    # registrations (offline forms, a busy week) arrive first (app/publicatie/raster.py).
    publicatie_wachttijd_dagen: int = Field(default=14, ge=0, le=366)
    cors_origins: list[str] = []
    # Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto the service believes: IP
    # addresses or networks, as a JSON list or comma-separated. Empty (the default): nobody's,
    # so the address the sign-in limits count is the one the connection comes from, and a
    # client cannot pick another by sending the header itself.
    vertrouwde_proxies: Annotated[list[str], NoDecode] = []
    # The inzet the policy asks per wijk (two preventiewerkers of 16 hours), shown beside the
    # hours a wijk really has; the gemeente's norm is this times the number of wijken.
    inzet_norm_uren_per_week: float = Field(default=32.0, ge=0, le=400)
    # Server processes for `wijkcontact serve` (the container's setting); about one per core.
    workers: int = Field(default=1, ge=1)
    # How long a request waits for another process's SQLite write lock before answering 503.
    sqlite_busy_timeout: float = Field(default=5.0, gt=0)
    # How often each server process adds the queued changes to the tellingen's summaries
    # (app/analyse/wachtrij.py). Figures are exact either way; a longer wait makes the queue,
    # which every tellingen read sums too, longer.
    kubus_vouw_seconden: float = Field(default=1.0, gt=0)
    # Connections each server process keeps to PostgreSQL, and how many more it may open in a
    # burst; replicas x workers x (pool + overflow) must stay under PostgreSQL's max_connections.
    pool_size: int = Field(default=10, ge=1)
    pool_overflow: int = Field(default=10, ge=0)
    # Threads per server process that do the trajecten routes' database work at once. More
    # only queue for the pool or for Python's GIL while holding a connection: on 2 cores the
    # load benchmark carried most at 4 to 6 (bench/RESULTS-load.md).
    database_threads: int = Field(default=6, ge=1)
    # The year against which the trend in beschikkingen is measured: 2024, when the
    # neighbourhood approach started, unless a gemeente started in another year.
    beschikkingen_basisjaar: int = Field(default=2024, ge=2000, le=2100)

    @field_validator("vertrouwde_proxies", mode="before")
    @classmethod
    def _lees_proxies(cls, waarde: object) -> object:
        if isinstance(waarde, str):
            tekst = waarde.strip()
            if tekst.startswith("["):
                return json.loads(tekst)
            return [deel.strip() for deel in tekst.split(",") if deel.strip()]
        return waarde

    @field_validator("vertrouwde_proxies")
    @classmethod
    def _controleer_proxies(cls, proxies: list[str]) -> list[str]:
        # uvicorn would take a typo as a name that never matches and say nothing.
        if "*" in proxies and proxies != ["*"]:
            raise ValueError("'*' (iedereen vertrouwen) kan alleen als enige waarde")
        for proxy in proxies:
            if proxy == "*":
                continue
            try:
                if "/" in proxy:
                    ipaddress.ip_network(proxy)
                else:
                    ipaddress.ip_address(proxy)
            except ValueError:
                raise ValueError(
                    f"{proxy!r} is geen IP-adres of netwerk (zoals 10.0.0.5 of 10.0.0.0/24)"
                ) from None
        return proxies


@lru_cache
def get_settings() -> Settings:
    return Settings()


class ConfiguratieFout(ValueError):
    """A configuration file that cannot be used; the message names the wrong entry in one line."""
