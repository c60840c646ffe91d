"""Run every bench/bench_*.py module and write docs/benchmarks.md.

Each module exposes `run() -> dict`; the dict's "title" and "command" head its section and every
other key becomes a row. The page also records the date, the machine (nproc, CPU model, memory),
and the Python and spaCy versions, so numbers from different machines are never mixed up.

Run: `.venv/bin/python -m bench.run [name ...]` (names like `pipeline`; default: all). Running only
some benchmarks replaces their sections and keeps the others' (each section says when it was
measured and under what load).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import re
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "benchmarks.md"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, str]:
    """Describe the machine and software the numbers were measured on."""
    import spacy

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus (nproc)": str(os.cpu_count()),
        "cpu model": _cpu_model(),
        "memory": _memory_gb(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "platform": platform.platform(),
    }


def modules(names: list[str]) -> list[str]:
    """Return the bench module names to run (all bench_*.py when `names` is empty)."""
    found = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if names:
        found = [m for m in found if m.removeprefix("bench_") in names or m in names]
    return found


def _value(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, dict | list):
        return "`" + json.dumps(value, ensure_ascii=False) + "`"
    return str(value)


def render(info: dict[str, str], results: list[tuple[str, dict, float]], keep: str = "") -> str:
    """Return docs/benchmarks.md for the machine description and the module results.

    `keep` is the current page: its sections for benchmarks not run now are kept as they are. A
    section belongs to a benchmark by its title or by the module named in its command, so a run
    replaces the section of an earlier run that failed (titled by the module) and the other way round.
    """
    lines = ["# Benchmarks", "",
             "Written by `.venv/bin/python -m bench.run` (`make bench`); do not edit by hand. Each "
             "section says when and on which CPU it was measured; the table below is the machine of "
             "the latest run.", "",
             "| machine (latest run) | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    sections = []
    titles = set()
    for module, result, seconds in results:
        title = result.pop("title", module)
        titles |= {title, module}
        command = result.pop("command", f".venv/bin/python -m bench.{module}")
        markdown = result.pop("markdown", None)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        part = [f"## {title}", "", f"`{command}` — took {seconds:.1f} s, measured {info['date']} "
                f"on {info.get('cpu model', 'an unknown CPU')} "
                f"(1-minute load average at the end: {load:.2f} on {info['cpus (nproc)']} CPUs).", ""]
        if markdown:
            part += [markdown, ""]
        part += ["| measure | value |", "|---|---|"]
        part += [f"| {k} | {_value(v)} |" for k, v in result.items()]
        sections.append("\n".join(part))
    run_now = tuple(f"-m bench.{module}" for module, _, _ in results)

    def replaced(section: str) -> bool:
        head = section.splitlines()
        command = head[2] if len(head) > 2 else ""
        return head[0][3:].strip() in titles or any(m + " " in command or m + "`" in command for m in run_now)

    kept = [s.rstrip() for s in re.split(r"(?m)^(?=## )", keep)[1:] if not replaced(s)]
    body = "\n".join(lines) + "".join("\n\n" + s for s in [*kept, *sections])
    return body + "\n"


def main(argv: list[str]) -> int:
    """Run the selected benchmarks, print their results and write docs/benchmarks.md."""
    info = machine()
    results = []
    failed = 0
    for name in modules(argv):
        print(f"running {name} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            result = importlib.import_module(f"bench.{name}").run()
        except Exception:  # one broken benchmark must not hide the others
            traceback.print_exc()
            result = {"error": "failed; see the run's stderr"}
            failed += 1
        seconds = time.perf_counter() - started
        print(json.dumps(result, indent=1, ensure_ascii=False, default=str), flush=True)
        results.append((name, dict(result), seconds))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    keep = OUT.read_text(encoding="utf-8") if argv and OUT.exists() else ""
    OUT.write_text(render(info, results, keep), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
