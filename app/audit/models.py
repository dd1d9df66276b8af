from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String
from sqlmodel import Field, Session, SQLModel

from app.kern.db import tabel_van, utcnow

ACTIES = (
    "traject_gecorrigeerd",
    "gesprek_gecorrigeerd",
    "gesprek_ingetrokken",
    "traject_ingetrokken",
    "activiteit_gecorrigeerd",
    "activiteit_ingetrokken",
    "account_aangemaakt",
    "account_ingetrokken",
    "wachtwoord_gezet",
    "sleutel_uitgegeven",
    "sleutel_ingetrokken",
    "inzet_vastgelegd",
    "indicatoren_geladen",
    "beschikkingen_geladen",
    # A question of a rapportage account: onderwerp the route, entries its key id and parameters.
    "rapportage_vraag",
)


class Auditregel(SQLModel, table=True):
    """Who changed what and when. Holds codes only: never anything that could be personal."""

    __tablename__ = "auditregel"
    __table_args__ = (Index("ix_auditregel_account_tijdstip", "account_id", "tijdstip"),)

    id: int | None = Field(default=None, primary_key=True)
    tijdstip: datetime = Field(
        default_factory=utcnow,
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True),
    )
    # Empty when the change came from the operator's command line.
    account_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("account.id"))
    )
    actie: str = Field(sa_column=Column(String(40), nullable=False))
    onderwerp: str | None = Field(
        default=None,
        sa_column=Column(String(70)),
        description="trajectcode, trajectcode/volgnummer or account name",
    )
    wijzigingen: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


def schrijf_audit(
    session: Session,
    actie: str,
    account_id: int | None,
    onderwerp: str | None,
    wijzigingen: list[dict[str, Any]] | None = None,
) -> None:
    """Add an audit line to the caller's transaction: it lands exactly when the change does."""
    assert actie in ACTIES
    session.add(
        Auditregel(
            account_id=account_id,
            actie=actie,
            onderwerp=onderwerp,
            wijzigingen=wijzigingen or [],
        )
    )


_INVOEGEN = tabel_van(Auditregel).insert()


def schrijf_audit_direct(
    session: Session,
    actie: str,
    account_id: int | None,
    onderwerp: str | None,
    wijzigingen: list[dict[str, Any]],
) -> None:
    """schrijf_audit as one plain INSERT in the caller's transaction, without the ORM's flush.

    For a line on every request (a rapportage question), where the unit of work would cost
    more than the insert itself.
    """
    assert actie in ACTIES
    session.execute(
        _INVOEGEN,
        {
            "tijdstip": utcnow(),
            "account_id": account_id,
            "actie": actie,
            "onderwerp": onderwerp,
            "wijzigingen": wijzigingen,
        },
    )
