"""Alembic environment for the ``solok_search`` plugin's own migrations (the search index)."""

from ckanext.solok.migration.alembic_env import run
from ckanext.solok.search.table import metadata

run("solok_search", metadata, "solok_search")
