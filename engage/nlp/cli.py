"""`flask nlp …`: classify, summarise, evaluate and train from the command line (a thin layer).

The app factory registers `nlp_cli` with `app.cli.add_command(nlp_cli)`. The model directory is
`NLP_MODEL_DIR` from the app config, else `<instance>/models`. Input files are JSON Lines read one
line at a time; progress and malformed lines go to stderr with their line numbers, and a malformed
line is skipped without stopping the run.

`classify` and `summarise` give the batch path's full analysis: the sentence encoder refines the
themes, and the file is one consultation whose own confident answers teach words that fill the
answers nothing else themed (adapt.py; the analyses of the whole file are then held in memory).
`--no-adapt` analyses each answer on its own and streams; `--fast` is the
form-submit path (no encoder).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import click
from flask import current_app
from flask.cli import AppGroup

nlp_cli = AppGroup("nlp", help="Analyse free-text answers: classify, summarise, evaluate, train.")

BATCH = 256
PROGRESS_EVERY = 5000


def model_dir() -> Path:
    """Return the model directory from the app config (NLP_MODEL_DIR) or the instance folder."""
    configured = current_app.config.get("NLP_MODEL_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "models"


def _err(message: str) -> None:
    click.echo(message, err=True)


class _Progress:
    """Report a running count and rate on stderr every `every` items."""

    def __init__(self, label: str, every: int = PROGRESS_EVERY):
        self.label, self.every, self.n = label, every, 0
        self.started = time.perf_counter()

    def tick(self) -> None:
        self.n += 1
        if self.n % self.every == 0:
            self.report()

    def report(self) -> None:
        elapsed = time.perf_counter() - self.started
        rate = self.n / elapsed if elapsed else 0.0
        _err(f"{self.label}: {self.n} lines, {rate:,.0f}/s")


def read_jsonl(stream: IO[str], required: tuple[str, ...] = ("text",)) -> Iterator[tuple[int, dict]]:
    """Yield (line number, record) for each valid line; report and skip malformed ones."""
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            _err(f"line {lineno}: skipped, not valid JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict):
            _err(f"line {lineno}: skipped, not a JSON object")
            continue
        missing = [k for k in required if not isinstance(rec.get(k), str)]
        if missing:
            _err(f"line {lineno}: skipped, missing or non-string field(s) {', '.join(missing)}")
            continue
        lang = rec.get("lang")
        if lang is not None and not isinstance(lang, str):
            _err(f"line {lineno}: skipped, lang must be a string or null")
            continue
        yield lineno, rec


def _analyser(directory: Path | None = None):
    """Return the analyser of the active model in `directory` (default: the app's model directory);
    `directory` may also be one model version's own directory."""
    from engage.nlp.analyse import Analyser
    from engage.nlp.pipeline import META_FILE

    directory = directory or model_dir()
    if (directory / META_FILE).is_file():  # a version directory itself
        analyser = Analyser(directory, directory.name)
    else:
        analyser = Analyser.load(directory)
    _err(f"model: {analyser.model_version}")
    return analyser


def classify_records(records: Iterable[dict], analyser, progress: _Progress | None = None,
                     mode: str = "adapt") -> Iterator[tuple[dict, Any]]:
    """Yield (record, Analysis) in input order. `mode` "adapt": the batch path, the records being
    one consultation that learns its own words (held in memory; what was learned goes to stderr);
    "refine": the batch path answer by answer (streamed); "fast": the form-submit path."""
    buffered: list[dict] = []

    def items():
        for rec in records:
            buffered.append(rec)
            if progress:
                progress.tick()
            yield rec["text"], rec.get("lang")

    if mode == "adapt":
        analyses, learned = analyser.analyse_consultation(items(), batch_size=BATCH)
        if learned is not None:
            _report_learned(learned)
        yield from zip(buffered, analyses, strict=True)
        return
    for i, analysis in enumerate(analyser.analyse_many(items(), batch_size=BATCH, refine=mode == "refine")):
        rec = buffered[i]
        buffered[i] = None  # type: ignore[call-overload]  # release memory as we go
        yield rec, analysis


def _report_learned(learned) -> None:
    for lang, by_theme in sorted(learned.cues.items()):
        for theme, words in sorted(by_theme.items()):
            _err(f"learned from this consultation ({lang}, {theme}): {', '.join(words)}")
    _err(f"answers themed by words learned from this consultation: {learned.filled}")


def _mode(fast: bool, no_adapt: bool) -> str:
    return "fast" if fast else "refine" if no_adapt else "adapt"


_fast_option = click.option("--fast", is_flag=True,
                            help="The form-submit path: no sentence encoder, nothing learned from the file.")
_no_adapt_option = click.option("--no-adapt", is_flag=True,
                                help="Analyse each answer on its own (streamed): learn nothing from the file's answers.")


def output_record(rec: dict, analysis) -> dict:
    """Return the classify output line for one input record (DESIGN.md §6 contract)."""
    return {
        "id": rec.get("id"),
        "lang": analysis.lang,
        "redacted": analysis.redacted,
        "themes": [{"theme": t.theme, "score": round(t.score, 4)} for t in analysis.themes],
        "sentiment": round(analysis.sentiment, 4),
    }


@nlp_cli.command("classify")
@click.argument("infile", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Output JSONL file (default: stdout).")
@click.option("--model", "model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Model directory (its active version) or one version's directory; default: the app's.")
@_fast_option
@_no_adapt_option
def classify_command(infile: IO[str], output: IO[str], model: Path | None, fast: bool, no_adapt: bool) -> None:
    """Classify answers: IN.jsonl {"id","text","lang"} -> {"id","lang","redacted","themes","sentiment"}."""
    analyser = _analyser(model)
    progress = _Progress("classify")
    records = (rec for _, rec in read_jsonl(infile))
    for rec, analysis in classify_records(records, analyser, progress, _mode(fast, no_adapt)):
        output.write(json.dumps(output_record(rec, analysis), ensure_ascii=False) + "\n")
    output.flush()
    progress.report()


@nlp_cli.command("summarise")
@click.argument("infile", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Output JSON file (default: stdout).")
@click.option("--locale", type=click.Choice(["da", "en"]), default="da", show_default=True,
              help="Language of headings and labels.")
@_fast_option
@_no_adapt_option
def summarise_command(infile: IO[str], output: IO[str], locale: str, fast: bool, no_adapt: bool) -> None:
    """Summarise answers per theme; lines without "themes" are classified first (together: one
    consultation)."""
    from engage.nlp.summarise import summarise_records  # another module; imported lazily

    progress = _Progress("summarise")

    def records() -> Iterator[dict]:
        pending: list[dict] = []
        for lineno, rec in read_jsonl(infile, required=()):
            if isinstance(rec.get("themes"), list):
                if "redacted" not in rec and isinstance(rec.get("text"), str):
                    from engage.nlp.redact import redact

                    rec["redacted"] = redact(rec.pop("text"), rec.get("lang") or locale).text
                progress.tick()
                yield rec
            elif not isinstance(rec.get("text"), str):
                _err(f"line {lineno}: skipped, needs \"text\" (or \"themes\" and \"redacted\")")
            else:
                pending.append(rec)
        if pending:
            for rec, analysis in classify_records(pending, _analyser(), progress, _mode(fast, no_adapt)):
                out = output_record(rec, analysis)
                if "quotable" in rec:
                    out["quotable"] = rec["quotable"]
                for key, value in rec.items():
                    out.setdefault(key, value)
                out.pop("text", None)
                yield out

    result = summarise_records(records(), locale)
    output.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    output.flush()
    progress.report()


@nlp_cli.command("evaluate")
@click.argument("infile", type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_fast_option
@_no_adapt_option
def evaluate_command(infile: IO[str], as_json: bool, fast: bool, no_adapt: bool) -> None:
    """Evaluate theme classification on LABELLED.jsonl {"text","themes":[...],"lang"?,"source"?}
    (the answers of one "source" are one consultation)."""
    from engage.nlp.evaluate import evaluate, format_report

    def records() -> Iterator[dict]:
        for lineno, rec in read_jsonl(infile):
            if not isinstance(rec.get("themes"), list):
                _err(f"line {lineno}: skipped, themes must be a list")
                continue
            yield rec

    mode = _mode(fast, no_adapt)
    report = evaluate(records(), _analyser(), refine=mode != "fast", adapt=mode == "adapt")
    if as_json:
        click.echo(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        click.echo(format_report(report))


@nlp_cli.command("train")
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Labelled JSONL file (repeatable; default: engage/nlp/data/train/*.jsonl).")
@click.option("--if-missing", is_flag=True,
              help="Skip when the active model was trained on the same data and config.")
@click.option("--force", is_flag=True, help="Activate the new model even if it scores worse.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--add", "added", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help='People\'s labels to learn from (repeatable): JSONL {"id","text","lang"|null,"themes"} ([] = none).')
@click.option("--weight", type=click.FloatRange(min=1.0), default=3.0, show_default=True,
              help="How much more an added (human) label weighs than an authored one.")
@click.option("--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Model directory to write the new version to (default: the app's).")
@click.option("--no-activate", "no_activate", is_flag=True, help="Save the new version without activating it.")
def train_command(data: tuple[str, ...], if_missing: bool, force: bool, seed: int, added: tuple[str, ...],
                  weight: float, output: Path | None, no_activate: bool) -> None:
    """Train the theme models, evaluate on a held-out split and activate if not worse."""
    from engage.nlp.train import train

    out = output or model_dir()
    result = train(list(data) or None, out, seed=seed, force=force, if_missing=if_missing,
                   log=_err, added=list(added), weight=weight, activate_new=not no_activate)
    if result.skipped:
        click.echo(f"skipped: {result.reason}")
        return
    micro = result.metrics["micro"]
    click.echo(f"model {result.version} in {result.path} ({result.seconds:.0f} s): held-out "
               f"micro P/R/F1 {micro['precision']:.3f}/{micro['recall']:.3f}/{micro['f1']:.3f}")
    click.echo(result.reason)
