"""Create the table of pending revisions (a producer's change to a published dataset).

Revision ID: c3e5a7b9d1f2
Revises: b7d2e4f6a8c1
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c3e5a7b9d1f2"
down_revision = "b7d2e4f6a8c1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solok_revision",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("data", sa.UnicodeText, nullable=False),
        sa.Column("files", sa.UnicodeText, nullable=False, server_default="{}"),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("solok_revision")
