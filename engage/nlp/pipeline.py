"""Build and load Engage's spaCy pipelines from the config files in `engage/nlp/configs/`.

Model directory layout (`NLP_MODEL_DIR`, by default `<instance>/models`):

    <model_dir>/ACTIVE                     the active version's name, one line
    <model_dir>/<version>/meta.json        metrics per theme and language, data hash, seed, sizes
    <model_dir>/<version>/da/, en/         spaCy pipelines (nlp.to_disk) with textcat, lexicon
                                           and combiner state
"""

from __future__ import annotations

import configparser
import json
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.util import load_config, load_model_from_config

import engage.nlp.components  # noqa: F401  (registers the factories and the architecture)
from engage.nlp.components import TEXTCAT, lexicon_of
from engage.nlp.text import LANGUAGES, check_language

ACTIVE_FILE = "ACTIVE"
META_FILE = "meta.json"
LEXICON_ONLY = "lexicon-only"


def configs_dir() -> Path:
    """Return the directory holding the pipeline and training config files."""
    return Path(str(resources.files("engage.nlp") / "configs"))


def config_path(lang: str) -> Path:
    """Return the pipeline config file for `lang`."""
    return configs_dir() / f"{check_language(lang)}.cfg"


def training_config() -> dict[str, Any]:
    """Return the training settings of `configs/training.cfg` as typed values."""
    parser = configparser.ConfigParser(inline_comment_prefixes=("#",))
    parser.read(configs_dir() / "training.cfg", encoding="utf-8")
    out: dict[str, Any] = {}
    for key, raw in parser["training"].items():
        out[key] = json.loads(raw)
    return out


def build_pipeline(lang: str, with_model: bool = True, lexicon_overrides: dict | None = None) -> Language:
    """Build a fresh pipeline for `lang` from its config; without `with_model`, no textcat."""
    config = load_config(config_path(lang))
    nlp = load_model_from_config(
        config, auto_fill=True, validate=True, exclude=[] if with_model else [TEXTCAT]
    )
    if lexicon_overrides:
        lexicon_of(nlp).set_lexicon(lexicon_overrides)
    return nlp


def load_pipeline(path: Path | str, lexicon_overrides: dict | None = None) -> Language:
    """Load a trained pipeline saved with `nlp.to_disk` (from a model version directory)."""
    nlp = spacy.load(Path(path))
    if lexicon_overrides:
        lexicon_of(nlp).set_lexicon(lexicon_overrides)
    return nlp


def active_version(model_dir: Path | str | None) -> str | None:
    """Return the name of the active model version in `model_dir`, or None."""
    if model_dir is None:
        return None
    active = Path(model_dir) / ACTIVE_FILE
    if not active.is_file():
        return None
    version = active.read_text(encoding="utf-8").strip()
    if not version or not (Path(model_dir) / version / META_FILE).is_file():
        return None
    return version


def read_meta(model_dir: Path | str, version: str) -> dict[str, Any]:
    """Return the meta.json of one model version."""
    return json.loads((Path(model_dir) / version / META_FILE).read_text(encoding="utf-8"))


def activate(model_dir: Path | str, version: str) -> None:
    """Make `version` the active model (atomically replaces the ACTIVE file)."""
    model_dir = Path(model_dir)
    tmp = model_dir / f".{ACTIVE_FILE}.tmp"
    tmp.write_text(version + "\n", encoding="utf-8")
    tmp.replace(model_dir / ACTIVE_FILE)


__all__ = [
    "LANGUAGES",
    "LEXICON_ONLY",
    "activate",
    "active_version",
    "build_pipeline",
    "config_path",
    "load_pipeline",
    "read_meta",
    "training_config",
]
