"""`flask auth create-user`: make a staff account from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from engage.models.user import ROLES

auth_cli = AppGroup("auth", help="Staff accounts.")


@auth_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="admin, analyst (region-wide) or municipality_editor.")
@click.option("--municipality", default=None, help="Municipality slug, for a municipality_editor (e.g. gentofte).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
def create_user_command(email: str, role: str, municipality: str | None, password_stdin: bool) -> None:
    """Create a staff account (the password is asked for twice and stored hashed)."""
    from engage.auth.services import AccountError, create_user
    from engage.core.extensions import db

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, role, municipality)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {role} {user.email}" + (f" ({municipality})" if municipality else ""))
