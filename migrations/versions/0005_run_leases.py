"""Leases on running work: job occurrences and archive runs whose process died become ``interrupted``.

``job_runs`` gains ``heartbeat_at`` (the runner's last renewal of its lease) and ``attempts`` (how
many times the occurrence has started); ``archive_runs`` gains ``heartbeat_at`` and the status
``interrupted``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("running", "succeeded", "failed")
AFTER = (*BEFORE, "interrupted")


def _status_check(values: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade() -> None:
    # Mirrors compat.jobs.job_runs and domain.models.ArchiveRun (tests/wiring/test_database.py keeps them equal).
    with op.batch_alter_table("job_runs") as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("archive_runs") as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint("run_status", type_="check")
        batch_op.create_check_constraint("run_status", _status_check(AFTER))


def downgrade() -> None:
    op.execute("UPDATE archive_runs SET status = 'failed' WHERE status = 'interrupted'")
    with op.batch_alter_table("archive_runs") as batch_op:
        batch_op.drop_constraint("run_status", type_="check")
        batch_op.create_check_constraint("run_status", _status_check(BEFORE))
        batch_op.drop_column("heartbeat_at")
    with op.batch_alter_table("job_runs") as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_column("heartbeat_at")
