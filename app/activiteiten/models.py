import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlmodel import Field, SQLModel

from app.kern.db import Uuid16, utcnow
from app.kern.idempotentie import verzoek_hash_kolom

INITIATIEVEN = ("bewoners", "professionals", "samen")
# Upper limits that no real registration reaches, so that a typo (an extra zero) is refused
# instead of dwarfing a year's figures.
MAX_BIJEENKOMSTEN = 366
MAX_DEELNEMERS = 10_000
MAX_VRIJWILLIGERS = 1_000


class Activiteit(SQLModel, table=True):
    """A collective activity in a wijk: counts only, nothing about any one resident."""

    __tablename__ = "activiteit"
    __table_args__ = (
        CheckConstraint(f"initiatief IN {INITIATIEVEN!r}", name="ck_activiteit_initiatief"),
        CheckConstraint(
            f"bijeenkomsten BETWEEN 1 AND {MAX_BIJEENKOMSTEN}", name="ck_activiteit_bijeenkomsten"
        ),
        CheckConstraint(
            f"deelnemers BETWEEN 0 AND {MAX_DEELNEMERS}", name="ck_activiteit_deelnemers"
        ),
        CheckConstraint(
            f"vrijwilligers BETWEEN 0 AND {MAX_VRIJWILLIGERS}", name="ck_activiteit_vrijwilligers"
        ),
        # The list (newest first, per wijk) and the yearly figures (a date range) use these.
        Index("ix_activiteit_wijk_datum", "wijk", "datum"),
        Index("ix_activiteit_datum", "datum"),
    )

    id: uuid.UUID = Field(sa_column=Column(Uuid16, primary_key=True))
    wijk: str = Field(sa_column=Column(String(16), nullable=False))
    datum: date = Field(sa_column=Column(Date, nullable=False))
    soort: str = Field(sa_column=Column(String(40), nullable=False))
    bijeenkomsten: int = Field(sa_column=Column(Integer, nullable=False))
    deelnemers: int = Field(sa_column=Column(Integer, nullable=False))
    vrijwilligers: int = Field(sa_column=Column(Integer, nullable=False))
    initiatief: str = Field(sa_column=Column(String(16), nullable=False))
    account_id: int = Field(sa_column=Column(Integer, ForeignKey("account.id"), nullable=False))
    # Fingerprint of the create request, so a retried create can be told from an id clash.
    verzoek_hash: bytes = Field(sa_column=verzoek_hash_kolom())
    aangemaakt_op: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
