"""`$metadata` is a CSDL XML document valid against the OASIS schemas (vendored in csdl/), and
the service document names every entity set it declares."""

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import account

SCHEMAS = Path(__file__).parent / "csdl"
EDM = "{http://docs.oasis-open.org/odata/ns/edm}"


@pytest.fixture(scope="module")
def edmx() -> xmlschema.XMLSchema10:
    # Building the validator from the OASIS schemas takes longer than the tests that use it.
    return xmlschema.XMLSchema10(SCHEMAS / "edmx.xsd")


def test_metadata_is_valid_csdl_and_matches_the_service_document(
    app: FastAPI, client: TestClient, edmx: xmlschema.XMLSchema10
) -> None:
    rapportage = account(app, "powerbi", "rapportage")
    antwoord = client.get("/api/v1/odata/$metadata", headers=rapportage)
    assert antwoord.status_code == 200
    assert antwoord.headers["content-type"].startswith("application/xml")
    assert antwoord.headers["OData-Version"] == "4.0"
    edmx.validate(antwoord.text)
    sets = {e.get("Name") for e in ET.fromstring(antwoord.content).iter(f"{EDM}EntitySet")}
    assert {"Wijken", "Codes", "Gesprekken", "TrajectenPerOverdrachtdoel", "Jaarcijfers"} <= sets
    for pad in ("/api/v1/odata", "/api/v1/odata/"):
        document = client.get(pad, headers=rapportage).json()
        assert document["@odata.context"].endswith("/api/v1/odata/$metadata")
        assert {s["url"] for s in document["value"]} == sets


def test_the_schema_check_can_fail(edmx: xmlschema.XMLSchema10) -> None:
    # A CSDL document with an entity type without a name is refused: the check reads the schema.
    fout = (
        '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">'
        '<edmx:DataServices><Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" '
        'Namespace="X"><EntityType/></Schema></edmx:DataServices></edmx:Edmx>'
    )
    assert not edmx.is_valid(fout)
