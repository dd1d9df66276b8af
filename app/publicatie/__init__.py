"""What a `rapportage` caller may see: the protected release of the figures.

The analysis counts and knows nothing of roles. Everything that leaves the service for the
rapportage role (JSON, CSV, and later xlsx and OData) is shaped here: on a fixed grid of closed
periods, every count perturbed with a cell key and small counts hidden, and every published
value stored, so that a cell always gives the same answer (docs/rapportage.md).
"""
