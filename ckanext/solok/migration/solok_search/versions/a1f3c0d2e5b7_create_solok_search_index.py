"""Create the PostgreSQL search index table.

Revision ID: a1f3c0d2e5b7
Revises:
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

revision = "a1f3c0d2e5b7"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solok_search_index",
        sa.Column("index_id", sa.UnicodeText, primary_key=True),
        sa.Column("id", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText),
        sa.Column("site_id", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText),
        sa.Column("capacity", sa.UnicodeText),
        sa.Column("metadata_created", sa.DateTime(timezone=True)),
        sa.Column("metadata_modified", sa.DateTime(timezone=True)),
        sa.Column("permission_labels", ARRAY(sa.UnicodeText), nullable=False),
        sa.Column("doc", JSONB, nullable=False),
        sa.Column("data_dict", sa.UnicodeText),
        sa.Column("validated_data_dict", sa.UnicodeText),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("tsv", TSVECTOR, nullable=False),
    )
    op.create_index("solok_search_index_site_id_id", "solok_search_index", ["site_id", "id"], unique=True)
    # Sort keys with the id tie-break, so a page of a sorted listing is an
    # index range; the visibility columns are included so that skipping to a
    # deep page is an index-only scan.
    visible = ["index_id", "site_id", "state", "capacity", "permission_labels"]
    op.create_index("solok_search_index_name", "solok_search_index", ["name", "id"], postgresql_include=visible)
    # Every search filters on these; counts of large result sets become index-only scans.
    op.create_index(
        "solok_search_index_visible", "solok_search_index", ["site_id", "state", "capacity"],
        postgresql_include=["permission_labels"],
    )
    op.create_index(
        "solok_search_index_modified", "solok_search_index", ["metadata_modified", "id"], postgresql_include=visible
    )
    op.create_index("solok_search_index_created", "solok_search_index", ["metadata_created", "id"])
    # jsonb_path_ops serves the containment (@>) used for every exact match.
    # fastupdate is off: a catalogue is read far more than written, and a
    # pending list makes the planner avoid these indexes after bulk indexing.
    op.create_index(
        "solok_search_index_fields", "solok_search_index", ["fields"],
        postgresql_using="gin", postgresql_ops={"fields": "jsonb_path_ops"},
        postgresql_with={"fastupdate": "off"},
    )
    op.create_index(
        "solok_search_index_tsv", "solok_search_index", ["tsv"],
        postgresql_using="gin", postgresql_with={"fastupdate": "off"},
    )
    op.create_index(
        "solok_search_index_labels", "solok_search_index", ["permission_labels"],
        postgresql_using="gin", postgresql_with={"fastupdate": "off"},
    )


def downgrade() -> None:
    op.drop_table("solok_search_index")
