"""wijkcontact: anonieme contactregistratie voor preventiewerkers in de sociale basis."""

API_VERSION = "1.0.0"
