"""A CSV answer for a client that asks for one with `Accept: text/csv`: the same figures as the
JSON, for a spreadsheet or a reporting tool."""

from fastapi import Response

CSV = "text/csv"


def vraagt_csv(accept: str | None) -> bool:
    return accept is not None and CSV in accept.lower()


def csv_antwoord(tekst: str, bestandsnaam: str) -> Response:
    # inline: a browser shows it, a download keeps the name.
    return Response(
        tekst,
        media_type=f"{CSV}; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{bestandsnaam}"'},
    )
