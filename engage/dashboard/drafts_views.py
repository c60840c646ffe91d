"""Staff pages for strategy drafts (`/<lang>/dashboard/drafts`)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.auth.access import staff_required
from engage.core.extensions import db
from engage.core.i18n import current_lang
from engage.dashboard import drafts, services
from engage.dashboard.filters import Filters
from engage.dashboard.views import bp


@bp.route("/drafts", methods=["GET", "POST"])
@staff_required("admin", "analyst")
def draft_list():
    """List the drafts and start a new one."""
    error = None
    if request.method == "POST":
        try:
            draft = drafts.create_draft(request.form.get("title", ""), current_user)
            db.session.commit()
            return redirect(url_for("dashboard.draft", draft_id=draft.id), code=303)
        except drafts.DraftError as exc:
            error = exc
    return render_template("dashboard/drafts.html", drafts=drafts.drafts(), error=error,
                           form=request.form), (422 if error else 200)


@bp.route("/drafts/<int:draft_id>", methods=["GET", "POST"])
@staff_required("admin", "analyst")
def draft(draft_id: int):
    """Show a draft with its sections and evidence; add a section."""
    item, error = drafts.get_draft(draft_id), None
    if request.method == "POST":
        try:
            section = drafts.add_section(item, request.form.get("title", ""), request.form.getlist("themes"),
                                         current_user)
            db.session.commit()
            return redirect(url_for("dashboard.section", draft_id=item.id, section_id=section.id), code=303)
        except drafts.DraftError as exc:
            error = exc
    states = drafts.evidence_states([b for s in item.sections for b in s.evidence])
    return render_template("dashboard/draft.html", draft=item, states=states, error=error, form=request.form,
                           themes=services.filter_theme_choices()), (422 if error else 200)


@bp.route("/drafts/<int:draft_id>/sections/<int:section_id>", methods=["GET", "POST"])
@staff_required("admin", "analyst")
def section(draft_id: int, section_id: int):
    """Edit a section (a new version on each save) next to its themes' latest evidence."""
    item = drafts.get_draft(draft_id)
    part, error = drafts.get_section(item, section_id), None
    filters = Filters.from_args(request.args)
    if request.method == "POST":
        try:
            base = request.form.get("version", "")
            saved = drafts.save_section(part, request.form.get("title", ""), request.form.get("body", ""),
                                        request.form.getlist("themes"), current_user,
                                        base_version=int(base) if base.isdecimal() else None)
            db.session.commit()
            flash(_("Saved as version %(n)d.", n=part.version) if saved else _("No changes to save."), "success")
            return redirect(url_for("dashboard.section", draft_id=item.id, section_id=part.id,
                                    **filters.to_args()), code=303)
        except drafts.DraftError as exc:
            db.session.rollback()
            error = exc
    options = drafts.evidence_options(part, filters, current_user)
    db.session.commit()
    states = drafts.evidence_states(part.evidence)
    return render_template("dashboard/section.html", draft=item, section=part, options=options, states=states,
                           filters=filters, error=error, form=request.form, themes=services.filter_theme_choices(),
                           choices=services.filter_choices(filters)), (422 if error else 200)


@bp.post("/drafts/<int:draft_id>/sections/<int:section_id>/evidence")
@staff_required("admin", "analyst")
def insert_evidence(draft_id: int, section_id: int):
    """Add an evidence block with the chosen quotes to a section."""
    item = drafts.get_draft(draft_id)
    part = drafts.get_section(item, section_id)
    filters = Filters.from_args(request.form)
    try:
        drafts.insert_evidence(part, filters, request.form.get("theme", ""), request.form.getlist("quotes"),
                               current_user)
        db.session.commit()
        flash(_("Evidence inserted."), "success")
    except drafts.DraftError:
        db.session.rollback()
        flash(_("There is no summary for that theme in this selection yet."), "error")
    return redirect(url_for("dashboard.section", draft_id=item.id, section_id=part.id, **filters.to_args()), code=303)


@bp.get("/drafts/<int:draft_id>/export.<fmt>")
@staff_required("admin", "analyst")
def export_draft(draft_id: int, fmt: str):
    """Download the draft as Word (docx) or Markdown (md), with the appendix of cited answers."""
    item = drafts.get_draft(draft_id)
    lang = request.args.get("file_lang") if request.args.get("file_lang") in ("da", "en") else current_lang()
    if fmt == "docx":
        body, mimetype = drafts.export_docx(item, lang, current_user), \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "md":
        body, mimetype = drafts.export_markdown(item, lang, current_user).encode(), "text/markdown; charset=utf-8"
    else:
        return redirect(url_for("dashboard.draft", draft_id=item.id))
    db.session.commit()
    name = f"engage-draft-{item.id}.{fmt}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
