"""Idempotent create: a client-generated id lets the mobile form retry and sync after being
offline without counting twice.

The same id with the same body answers the stored result; the same id with another body is a
409. What "the same body" means is the hash of who sent it and what was sent.
"""

import hashlib
import json
import uuid
from typing import Annotated, Protocol

from pydantic import BaseModel, Field
from sqlalchemy import Column, LargeBinary

from app.kern.problems import Conflict

ClientId = Annotated[
    uuid.UUID | None,
    Field(
        description="Optionele UUID van de client; hetzelfde id opnieuw sturen telt niet dubbel."
    ),
]


class Afzender(Protocol):
    """Whoever sent the request: only its account id goes into the hash."""

    @property
    def id(self) -> int: ...


class IdAlGebruikt(Conflict):
    soort, titel = "id-al-gebruikt", "Id al gebruikt"


# The first 16 bytes of the SHA-256, stored raw (not 64 hex characters: 48 bytes less in every
# row that has one). The hash is only ever compared with the one stored under the same client
# id, so what matters is that no other body hits it by chance (2^-128) or on purpose (a second
# preimage of a 128-bit hash: 2^128 tries); collisions between any two requests (2^64) do not
# matter here.
VERZOEK_HASH_BYTES = 16


def verzoek_hash_kolom() -> Column:  # type: ignore[type-arg]
    """The column that keeps a create request's `verzoek_hash`."""
    return Column(LargeBinary(VERZOEK_HASH_BYTES), nullable=False)


def verzoek_hash(gebruiker: Afzender, invoer: BaseModel, **waarop: str) -> bytes:
    """`waarop` names what else the request was sent to (a questionnaire, say): the same id and
    body sent elsewhere is a clash, not a retry."""
    inhoud = {"account": gebruiker.id, "invoer": invoer.model_dump(mode="json"), **waarop}
    volledig = hashlib.sha256(json.dumps(inhoud, sort_keys=True).encode()).digest()
    return volledig[:VERZOEK_HASH_BYTES]
