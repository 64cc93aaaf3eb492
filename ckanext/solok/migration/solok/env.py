"""Alembic environment for the ``solok`` plugin's own migrations (the workflow audit table)."""

from ckanext.solok.migration.alembic_env import run
from ckanext.solok.workflow.model import metadata

run("solok", metadata, "solok_workflow")
