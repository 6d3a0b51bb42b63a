"""Side-by-side results: where the dual adapters, the strangler and the CLI record their runs.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Mirrors compat.shadow.shadow_results (a test keeps the two equal).
    op.create_table(
        "shadow_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("served", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("diff", sa.Text(), nullable=False),
        sa.Column("control_ms", sa.Float(), nullable=False),
        sa.Column("candidate_ms", sa.Float(), nullable=True),
        sa.Column("control_error", sa.Text(), nullable=True),
        sa.Column("candidate_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shadow_results_at", "shadow_results", ["at"])
    op.create_index("ix_shadow_results_target", "shadow_results", ["target"])


def downgrade() -> None:
    op.drop_index("ix_shadow_results_target", table_name="shadow_results")
    op.drop_index("ix_shadow_results_at", table_name="shadow_results")
    op.drop_table("shadow_results")
