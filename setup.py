"""Ships the top-level migrations/ inside the wheel as the package app.migrations.

An installed wijkcontact must migrate its database at start, so Alembic's revisions have to
travel with it; in a checkout they stay in migrations/, next to alembic.ini, where everyone
adds new revisions. Everything else is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["app", "app.*"]),
        "app.migrations",
        "app.migrations.versions",
    ],
    package_dir={"app.migrations": "migrations"},
    package_data={"app": ["**/*.json", "web/*"], "app.migrations": ["script.py.mako"]},
)
