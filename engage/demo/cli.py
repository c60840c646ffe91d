"""`flask demo seed`: the demo survey, demo responses and the three demo staff accounts."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for a laptop or a test site (never production).")


@demo_cli.command("seed")
@click.option("--responses", default=200, show_default=True, help="How many demo responses.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (reproducible demo).")
def seed(responses: int, seed: int) -> None:
    """Create the demo survey, demo responses and demo accounts (marked as demo; safe to re-run)."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from engage.auth.services import AccountError, ensure_demo_accounts
    from engage.core.extensions import db
    from engage.demo.seed import seed_demo_data
    from engage.surveys.analysis import submit_analyser

    try:
        created = seed_demo_data(n_responses=responses, seed=seed, analyser=submit_analyser())
        accounts = ensure_demo_accounts(is_production=current_app.config["ENV"] == "production")
    except (OperationalError, ProgrammingError) as exc:
        raise click.ClickException(
            "the database has no tables yet: run `flask --app engage db upgrade` first"
        ) from exc
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Demo survey ready: {created.survey_slug} ({created.responses} demo responses).")
    click.echo("Demo staff accounts (log in at /da/dashboard/ or /en/dashboard/):")
    for account in accounts:
        where = f" ({account['municipality']})" if account["municipality"] else ""
        click.echo(f"  {account['role']:<20} {account['email']:<24} password: {account['password']}{where}")
