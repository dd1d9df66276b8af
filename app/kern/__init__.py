"""The service's infrastructure, without domain: settings, database, problem+json, HTTP
middleware, request log, the OpenAPI document, health, migrations, and what every API package
shares (request models, CSV in and out, idempotent create, reading configuration files).

The domain packages beside it import from here; nothing here imports a domain package. The one
import upwards is health's: it asks app.deps for the process's engine.
"""
