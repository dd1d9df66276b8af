"""The OData v4 feed at /api/v1/odata: the published figures for Power BI and Excel (issue 17).

One more view of the same release as /tellingen and /jaaranalyses: every row is computed by
the same functions, so a rapportage caller sees the same protected cells here, on the same grid,
and never anything those routes would refuse (docs/odata.md).
"""
