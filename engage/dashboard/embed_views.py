"""The widget's snippet for a survey and municipality, with a live preview (`/dashboard/embed`)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from engage.auth.access import staff_required
from engage.core.extensions import db
from engage.dashboard.views import bp
from engage.models import Municipality, Survey
from engage.surveys.kinds import PARTNER_SLUGS
from engage.widget.views import accent, embed_origins


@bp.get("/embed")
@staff_required()
def embed():
    """Build the `<script>` snippet (and the no-JavaScript iframe) from the choices in the query."""
    own = current_user.municipality.slug if getattr(current_user, "municipality", None) else None
    surveys = db.session.scalars(select(Survey).where(Survey.status == "open").order_by(Survey.id.desc())).all()
    if own:  # an editor sees the surveys their municipality may embed
        surveys = [s for s in surveys if s.may_embed(own)]
    municipalities = db.session.scalars(select(Municipality).where(Municipality.slug.in_(PARTNER_SLUGS))
                                        .order_by(Municipality.name_da)).all()
    chosen = {
        "survey": request.args.get("survey") if request.args.get("survey") in {s.slug for s in surveys}
        else (surveys[0].slug if surveys else ""),
        "municipality": own or request.args.get("municipality") or "gentofte",
        "mode": "chat" if request.args.get("mode") == "chat" else "form",
        "lang": "en" if request.args.get("lang") == "en" else "da",
        "accent": "#" + accent(request.args.get("accent")),
        "compact": request.args.get("compact") == "1",
    }
    frame = url_for("embed.chat" if chosen["mode"] == "chat" else "embed.take", lang=chosen["lang"],
                    slug=chosen["survey"] or "-", m=chosen["municipality"], _external=True,
                    **({"compact": "1"} if chosen["compact"] else {}), accent=chosen["accent"][1:])
    return render_template(
        "dashboard/embed.html", surveys=surveys, municipalities=municipalities, chosen=chosen, own=own,
        script_url=url_for("widget.embed_js", _external=True), frame_url=frame,
        origins=embed_origins(chosen["municipality"]),
    )
