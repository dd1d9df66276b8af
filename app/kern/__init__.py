"""The service's infrastructure, without domain: settings, database, problem+json, HTTP
middleware, request log, the OpenAPI document, health, migrations, and the shapes every API
module shares (request models, CSV in and out, idempotent create, configuration files).

Nothing here knows a traject or a wijk; the domain packages beside it import from here, never
the other way round.
"""
