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


def verzoek_hash(gebruiker: Afzender, invoer: BaseModel, **waarop: str) -> str:
    """`waarop` names what else the request was sent to (a questionnaire, say): the same id and
    body sent elsewhere is a clash, not a retry."""
    inhoud = {"account": gebruiker.id, "invoer": invoer.model_dump(mode="json"), **waarop}
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True).encode()).hexdigest()
