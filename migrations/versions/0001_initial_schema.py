"""Initial schema: users, calendars, appointments, archive configurations and runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("api_token_hash", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("api_token_hash", name=op.f("uq_users_api_token_hash")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("source", "archive", name="calendar_kind", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("external_uri", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_calendars_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendars")),
        sa.UniqueConstraint("owner_id", "name", name=op.f("uq_calendars_owner_id_name")),
    )
    with op.batch_alter_table("calendars", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendars_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column(
            "show_as",
            sa.Enum(
                "free",
                "tentative",
                "busy",
                "oof",
                "workingElsewhere",
                "unknown",
                name="show_as",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "sensitivity",
            sa.Enum(
                "normal",
                "personal",
                "private",
                "confidential",
                name="sensitivity",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("recurrence_rule", sa.String(length=500), nullable=True),
        sa.Column("external_id", sa.String(length=500), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("end_at > start_at", name=op.f("ck_appointments_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["calendar_id"], ["calendars.id"], name=op.f("fk_appointments_calendar_id_calendars"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
        sa.UniqueConstraint("calendar_id", "external_id", name=op.f("uq_appointments_calendar_id_external_id")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index("ix_appointments_calendar_start", ["calendar_id", "start_at"], unique=False)

    op.create_table(
        "archive_configurations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source_calendar_id", sa.Integer(), nullable=False),
        sa.Column("archive_calendar_id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("schedule", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "source_calendar_id <> archive_calendar_id", name=op.f("ck_archive_configurations_distinct_calendars")
        ),
        sa.ForeignKeyConstraint(
            ["archive_calendar_id"],
            ["calendars.id"],
            name=op.f("fk_archive_configurations_archive_calendar_id_calendars"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_archive_configurations_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_calendar_id"],
            ["calendars.id"],
            name=op.f("fk_archive_configurations_source_calendar_id_calendars"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_configurations")),
        sa.UniqueConstraint("owner_id", "name", name=op.f("uq_archive_configurations_owner_id_name")),
    )
    with op.batch_alter_table("archive_configurations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_configurations_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "archive_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("configuration_id", sa.Integer(), nullable=False),
        sa.Column("range_start", sa.Date(), nullable=False),
        sa.Column("range_end", sa.Date(), nullable=False),
        sa.Column("replace", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "succeeded",
                "failed",
                name="run_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("copied", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("overlaps", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("range_end >= range_start", name=op.f("ck_archive_runs_range_in_order")),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["archive_configurations.id"],
            name=op.f("fk_archive_runs_configuration_id_archive_configurations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_runs")),
    )
    with op.batch_alter_table("archive_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_archive_runs_configuration_id"), ["configuration_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("archive_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_runs_configuration_id"))

    op.drop_table("archive_runs")
    with op.batch_alter_table("archive_configurations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_archive_configurations_owner_id"))

    op.drop_table("archive_configurations")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_calendar_start")

    op.drop_table("appointments")
    with op.batch_alter_table("calendars", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendars_owner_id"))

    op.drop_table("calendars")
    op.drop_table("users")
