"""Prove that a PostgreSQL backup of Engage restores: dump, restore into a fresh database, compare.

Usage:
    python scripts/backup_restore_check.py [SOURCE_URL] [--target NAME] [--keep]
                                           [--maintenance-db NAME]

SOURCE_URL is the database to check (default: $DATABASE_URL, else
postgresql://postgres@127.0.0.1:5432/test); `postgresql+psycopg://` and `postgres://` URLs are
accepted as they are written in engage.env. The script

1. counts the rows of every table in the public schema and reads alembic_version, inside one
   REPEATABLE READ transaction whose snapshot it exports,
2. runs `pg_dump --format=custom --snapshot=…` of exactly that snapshot into a private temp file
   (so the counts match the dump even while the service keeps writing),
3. creates a fresh database on the same server (--target NAME, default `engage_restore_<random>`)
   from template0 and runs `pg_restore --no-owner --exit-on-error` into it,
4. counts the restored copy the same way, prints both side by side, and
5. drops the scratch database (unless --keep) and the dump file.

Exit status: 0 when every table's row count and the alembic revision are equal, 1 otherwise
(including any failure to dump, restore or connect).

The connecting role needs CREATEDB (or run it as the postgres system user over the Unix socket:
`sudo -u postgres .venv/bin/python scripts/backup_restore_check.py postgresql:///engage`).
pg_dump and pg_restore (Debian: postgresql-client) must be at least the server's major version.
A password in the URL is handed to pg_dump/pg_restore through PGPASSWORD, not the command line.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

DEFAULT_SOURCE = "postgresql://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT = 10


@dataclass(frozen=True)
class Census:
    """Row counts of every table in the public schema, and the Alembic revision(s) recorded."""

    counts: dict[str, int] = field(default_factory=dict)
    alembic_version: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """How to reach one database: a libpq connection string and, separately, its password."""

    conninfo: str
    password: str | None

    @property
    def dbname(self) -> str:
        """Return the database name."""
        return conninfo_to_dict(self.conninfo).get("dbname") or ""

    def with_dbname(self, dbname: str) -> Target:
        """Return the same server and credentials with another database."""
        params = conninfo_to_dict(self.conninfo)
        params["dbname"] = dbname
        return Target(make_conninfo(**params), self.password)

    def connect(self, **kwargs: object) -> psycopg.Connection:
        """Open a connection (the caller closes it)."""
        return psycopg.connect(self.conninfo, password=self.password, connect_timeout=CONNECT_TIMEOUT, **kwargs)

    def env(self) -> dict[str, str]:
        """Return the environment for pg_dump/pg_restore: the password goes in PGPASSWORD."""
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def describe(self) -> str:
        """Return where the database is, without the password."""
        params = conninfo_to_dict(self.conninfo)
        host = params.get("host") or "local socket"
        port = params.get("port") or "5432"
        user = params.get("user") or os.environ.get("PGUSER") or "(current user)"
        return f"{params.get('dbname', '')} on {host}:{port} as {user}"


def parse_target(url: str) -> Target:
    """Return the Target for a PostgreSQL URL as written for SQLAlchemy, libpq or DATABASE_URL."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql://" + url[len(prefix) :]
            break
    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    if not params.get("dbname"):
        raise ValueError(f"no database name in {url!r}")
    return Target(make_conninfo(**params), password)


def take_census(conn: psycopg.Connection) -> Census:
    """Count the rows of every base table in the public schema, in the connection's transaction."""
    tables = [row[0] for row in conn.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )]
    counts: dict[str, int] = {}
    for table in tables:
        row = conn.execute(sql.SQL("SELECT count(*) FROM public.{}").format(sql.Identifier(table))).fetchone()
        counts[table] = int(row[0]) if row else 0
    versions: tuple[str, ...] = ()
    if "alembic_version" in counts:
        versions = tuple(sorted(row[0] for row in conn.execute("SELECT version_num FROM public.alembic_version")))
    return Census(counts, versions)


def census_of(target: Target) -> Census:
    """Open a connection to `target`, take its census in one consistent snapshot, and close it."""
    with target.connect() as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return take_census(conn)


def differences(source: Census, restored: Census) -> list[str]:
    """Return one line per difference between the two censuses (empty: the copy matches)."""
    found = []
    for table in sorted(source.counts.keys() | restored.counts.keys()):
        if table not in restored.counts:
            found.append(f"{table}: missing from the restored copy")
        elif table not in source.counts:
            found.append(f"{table}: only in the restored copy")
        elif source.counts[table] != restored.counts[table]:
            found.append(f"{table}: {source.counts[table]} rows in the source, {restored.counts[table]} restored")
    if source.alembic_version != restored.alembic_version:
        found.append(f"alembic_version: {_revision(source)} in the source, {_revision(restored)} restored")
    return found


def format_report(source: Census, restored: Census) -> str:
    """Return the side-by-side table of row counts, differences marked with `<>`."""
    tables = sorted(source.counts.keys() | restored.counts.keys())
    width = max([len(t) for t in tables] + [len("alembic_version (revision)")])
    lines = [f"{'table':<{width}}  {'source':>10}  {'restored':>10}", "-" * (width + 26)]
    for table in tables:
        left, right = source.counts.get(table), restored.counts.get(table)
        mark = "" if left == right else "  <>"
        lines.append(f"{table:<{width}}  {_cell(left):>10}  {_cell(right):>10}{mark}")
    mark = "" if source.alembic_version == restored.alembic_version else "  <>"
    lines.append(f"{'alembic_version (revision)':<{width}}  {_revision(source):>10}  {_revision(restored):>10}{mark}")
    return "\n".join(lines)


def _cell(count: int | None) -> str:
    return "-" if count is None else str(count)


def _revision(census: Census) -> str:
    return ",".join(census.alembic_version) or "-"


def require_tools() -> dict[str, str]:
    """Return the paths of pg_dump and pg_restore, or raise if either is missing."""
    tools = {name: shutil.which(name) for name in ("pg_dump", "pg_restore")}
    missing = [name for name, path in tools.items() if not path]
    if missing:
        raise RuntimeError(f"{' and '.join(missing)} not found: install postgresql-client (apt-get install postgresql-client)")
    return {name: path for name, path in tools.items() if path}


@contextmanager
def exported_snapshot(source: Target) -> Iterator[tuple[str, Census]]:
    """Hold open a REPEATABLE READ transaction on `source`; yield its snapshot id and its census."""
    with source.connect() as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        census = take_census(conn)
        yield row[0], census
        conn.rollback()


def run(argv: list[str], target: Target) -> None:
    """Run a PostgreSQL client program; raise with its own error output if it fails."""
    done = subprocess.run(argv, env=target.env(), stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name} failed ({done.returncode}):\n{done.stderr.strip()}")


def create_database(admin: Target, name: str) -> None:
    """Create an empty database `name` from template0 (nothing an administrator added to template1)."""
    with admin.connect(autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))


def drop_database(admin: Target, name: str) -> None:
    """Drop database `name` if it exists."""
    with admin.connect(autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def check(source: Target, target_name: str, *, maintenance_db: str = "postgres", keep: bool = False,
          out=sys.stdout) -> bool:
    """Dump `source`, restore it into a new database `target_name`, print both censuses side by side.

    Return whether they are equal. The new database is dropped afterwards unless `keep`.
    """
    if target_name == source.dbname:
        raise ValueError("the scratch database must not be the source database")
    tools = require_tools()
    admin = source.with_dbname(maintenance_db)
    restored = source.with_dbname(target_name)
    with tempfile.TemporaryDirectory(prefix="engage-restore-check-") as tmp:
        dump = Path(tmp) / "source.dump"
        started = time.monotonic()
        with exported_snapshot(source) as (snapshot, source_census):
            run([tools["pg_dump"], "--format=custom", f"--snapshot={snapshot}", f"--file={dump}",
                 f"--dbname={source.conninfo}"], source)
        dumped = time.monotonic() - started
        print(f"Dumped   {source.describe()}: {dump.stat().st_size / 1024:.0f} KiB in {dumped:.1f} s", file=out)
        create_database(admin, target_name)
        try:
            started = time.monotonic()
            run([tools["pg_restore"], "--no-owner", "--exit-on-error", f"--dbname={restored.conninfo}", str(dump)],
                restored)
            print(f"Restored into {target_name} in {time.monotonic() - started:.1f} s", file=out)
            restored_census = census_of(restored)
        finally:
            if keep:
                print(f"Kept the restored copy: database {target_name}", file=out)
            else:
                drop_database(admin, target_name)
    print("", file=out)
    print(format_report(source_census, restored_census), file=out)
    print("", file=out)
    problems = differences(source_census, restored_census)
    if problems:
        print(f"DIFFERENT: {len(problems)} difference(s):", file=out)
        for line in problems:
            print(f"  {line}", file=out)
        return False
    rows = sum(source_census.counts.values())
    print(f"OK: {len(source_census.counts)} tables, {rows} rows, revision {_revision(source_census)}: "
          "the restored copy matches the source.", file=out)
    return True


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the check, and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="?", default=None,
                        help=f"PostgreSQL URL of the database to check (default: $DATABASE_URL, else {DEFAULT_SOURCE})")
    parser.add_argument("--target", default=None,
                        help="name of the scratch database to restore into (default: engage_restore_<random>)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--maintenance-db", default="postgres",
                        help="database to connect to for CREATE/DROP DATABASE (default: %(default)s)")
    args = parser.parse_args(argv)
    target_name = args.target or f"engage_restore_{secrets.token_hex(4)}"
    try:
        source = parse_target(args.source or os.environ.get("DATABASE_URL") or DEFAULT_SOURCE)
        ok = check(source, target_name, maintenance_db=args.maintenance_db, keep=args.keep)
    except (RuntimeError, ValueError, psycopg.Error) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
