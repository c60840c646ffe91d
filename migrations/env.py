"""Alembic environment for Engage (Flask-Migrate, Flask-SQLAlchemy 3)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    # Only configure logging when run from the command line, and never silence the app's loggers.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_ext = current_app.extensions["migrate"]
engine = migrate_ext.db.engine
config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
target_metadata = migrate_ext.db.metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout without a database connection (`flask db upgrade --sql`)."""
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, **migrate_ext.configure_args)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against the app's database."""

    def skip_empty(context_, revision, directives):
        # An autogenerate run that finds no change writes no empty revision file.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(migrate_ext.configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty)
    with engine.connect() as connection:
        # A batch migration on SQLite copies a table and drops the old one; with foreign keys on,
        # DROP TABLE first deletes the rows that point at it (ON DELETE CASCADE: every answer of
        # a rebuilt `question` table). So they are off for the run (outside any transaction, where
        # SQLite accepts the pragma) and checked afterwards.
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=connection, target_metadata=target_metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            raw = connection.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=ON")
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left rows pointing at missing rows: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
