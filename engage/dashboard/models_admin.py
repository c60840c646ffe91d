"""Theme models: retrain with the team's corrections, compare held-out metrics, activate.

Retraining runs as a job (`retrain`): the reviewed answers become training records next to the
shipped corpus; the new model is saved under its version but not activated. An admin compares its
held-out metrics with the active model's and activates it; a model that is worse is refused
unless forced. Activation is audited and followed by a re-analysis of all answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort

from engage.core import audit
from engage.jobs.queue import Progress
from engage.models import Job, User
from engage.nlp.pipeline import activate, active_version, read_meta


@dataclass(frozen=True)
class ModelVersion:
    """One trained model on disk and the figures it was judged by."""

    version: str
    created_at: str
    answers: int
    human_labels: int
    micro_f1: float | None
    top1: float | None
    none_accuracy: float | None
    is_active: bool


def _figures(meta: dict[str, Any]) -> tuple[float | None, float | None, float | None]:
    """Return (micro-F1, top-1 accuracy, no-theme accuracy) from a model's metrics."""
    metrics = meta.get("metrics") or {}
    micro = (metrics.get("micro") or {}).get("f1")
    return micro, metrics.get("top1_accuracy"), metrics.get("none_accuracy", metrics.get("no_theme_accuracy"))


def model_versions(model_dir: str) -> list[ModelVersion]:
    """Return the trained models in `model_dir`, newest first."""
    root = Path(model_dir)
    active = active_version(root)
    out = []
    for meta_path in sorted(root.glob("*/meta.json"), reverse=True):
        version = meta_path.parent.name
        if version.startswith("."):
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        micro, top1, none = _figures(meta)
        out.append(ModelVersion(version, str(meta.get("created_at", "")), int(meta.get("answers", 0)),
                                int(meta.get("human_labels", 0)), micro, top1, none, version == active))
    out.sort(key=lambda m: m.created_at, reverse=True)
    return out


def retrain(job: Job, progress: Progress, *, model_dir: str, data_paths: list[str], labels_dir: str,
            themes: list[str]) -> dict[str, Any]:
    """Do the work of a retrain job: write the human labels, train without activating."""
    from engage.dashboard.review import human_labels
    from engage.nlp.train import default_data_paths, train

    progress(0, 3)
    records = human_labels()
    folder = Path(labels_dir)
    folder.mkdir(parents=True, exist_ok=True)
    labels_file = folder / f"human-{job.id}.jsonl"
    partial = labels_file.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    partial.replace(labels_file)
    progress(1, 3)
    paths = [Path(p) for p in data_paths] or default_data_paths()
    result = train([*paths, labels_file], model_dir, themes=themes, activate_new=False)
    meta_path = Path(model_dir) / result.version / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["human_labels"] = len(records)
    meta_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    progress(3, 3)
    micro, top1, none = _figures(meta)
    return {"version": result.version, "human_labels": len(records), "micro_f1": micro, "top1": top1,
            "none_accuracy": none}


def activate_model(model_dir: str, version: str, user: User, *, force: bool) -> tuple[bool, str]:
    """Make `version` the active model unless its held-out micro-F1 is worse than the active one's
    (then only with `force`); audit the activation. Return (activated, reason)."""
    if user.role != "admin":
        abort(403)
    root = Path(model_dir)
    if not (root / version / "meta.json").is_file() or "/" in version or version.startswith("."):
        abort(404)
    current = active_version(root)
    new_f1 = _figures(read_meta(root, version))[0] or 0.0
    old_f1 = _figures(read_meta(root, current))[0] if current and current != version else None
    if old_f1 is not None and new_f1 < old_f1 and not force:
        return False, "worse"
    activate(root, version)
    audit.record("model_activation", f"model:{version}", user_id=user.id, previous=current,
                 micro_f1=new_f1, previous_micro_f1=old_f1, forced=bool(force and old_f1 is not None and new_f1 < old_f1))
    return True, "activated"
