"""Alembic environment for the ``solok`` plugin's own migrations (the workflow audit table)."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import engine_from_config, pool

from ckanext.solok.workflow.model import metadata

config = context.config
# The version table is named after the plugin, as CKAN expects.
name = os.path.basename(os.path.dirname(__file__))
version_table = f"{name}_alembic_version"


def _include_object(obj, object_name, type_, reflected, compare_to):
    return type_ != "table" or object_name.startswith("solok_workflow")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        version_table=version_table,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            include_object=_include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
