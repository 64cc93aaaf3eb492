"""What the plugins' Alembic environments share: only the metadata and table prefix differ."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import MetaData, engine_from_config, pool


def run(plugin: str, metadata: MetaData, table_prefix: str) -> None:
    """Run ``plugin``'s migrations, offline or online as Alembic asks.

    The version table is named after the plugin, as CKAN expects; only the
    plugin's own tables are compared, never CKAN's.
    """
    config = context.config

    def include_object(obj: Any, object_name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        return type_ != "table" or object_name.startswith(table_prefix)

    options = {
        "target_metadata": metadata,
        "version_table": f"{plugin}_alembic_version",
        "include_object": include_object,
    }
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
