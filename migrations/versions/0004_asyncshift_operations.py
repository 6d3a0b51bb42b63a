"""asyncshift's operating tables: learnt noise fields, recorded call inputs, and (on PostgreSQL)
the fleet's shared flags document.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Mirrors compat.noise.shadow_noise, compat.inputs.shadow_inputs and compat.control.fleet.asyncshift_flags
    # (tests/wiring/test_database.py keeps them equal). Each is also created on first use if missing.
    op.create_table(
        "shadow_noise",
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("differed", sa.Integer(), nullable=False),
        sa.Column("reruns", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("target", "method", "path"),
        if_not_exists=True,  # made on first use by a process that ran before this migration
    )
    op.create_table(
        "shadow_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("arguments", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index("ix_shadow_inputs_target", "shadow_inputs", ["target"], if_not_exists=True)
    if op.get_bind().dialect.name == "postgresql":  # LISTEN/NOTIFY: the fleet exists only there
        op.create_table(
            "asyncshift_flags",
            sa.Column("name", sa.Text(), nullable=False),
            sa.Column("version", sa.BigInteger(), nullable=False),
            sa.Column("document", sa.Text(), nullable=False),
            sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
            sa.Column("changed_by", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("name"),
            if_not_exists=True,  # a fleet that ran before this migration made it already
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("asyncshift_flags", if_exists=True)
    op.drop_index("ix_shadow_inputs_target", table_name="shadow_inputs")
    op.drop_table("shadow_inputs")
    op.drop_table("shadow_noise")
