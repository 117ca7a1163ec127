"""Measurements as dated files, and the README's results table built from them.

Every bench script's `main` is wrapped by `recorded(...)`: what it prints still goes to the terminal and is
also written to `bench/results/<YYYY-MM-DD>-<short commit>-<name>.md` with a header naming the date, the
commit, whether the worktree had uncommitted changes and the machine. Prose does not repeat these figures:
the README's table is rewritten from the newest files by

    python -m bench.results readme     # `make results`; reads the files, never runs an evaluation

Result files hold only what the scripts print: file names, type and field names, counts and rates (the
scripts print no document text and mask ID numbers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import io
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar, cast

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

_Main = TypeVar("_Main", bound=Callable[..., Any])


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def short_commit() -> str:
    return _git("rev-parse", "--short=7", "HEAD") or "nocommit"


def worktree_dirty() -> bool:
    """Changed tracked files other than result files: a figure measured on uncommitted code says so."""
    return bool(_git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench/results"))


SLUG_LIMIT = 80


def slug(words: Sequence[str]) -> str:
    """`--extract --split heldout` → `extract-split-heldout`: file names that tell runs apart. A slug longer
    than `SLUG_LIMIT` (a run given many file paths) keeps its head and ends in a hash of the whole, so the name
    stays within what a file system allows and two different argument lists still get different names."""
    full = "-".join(p for p in re.split(r"[^A-Za-z0-9_.]+", " ".join(words)) if p)
    if len(full) <= SLUG_LIMIT:
        return full
    return f"{full[: SLUG_LIMIT - 9].rstrip('-.')}-{hashlib.sha1(full.encode()).hexdigest()[:8]}"


def write_result(name: str, markdown: str, *, command: str | None = None, folder: Path | None = None) -> Path:
    """Write `markdown` under a header (date, commit, dirty flag, cores) to
    `bench/results/<YYYY-MM-DD>-<short commit>-<name>.md` and return the path. A second run of the same
    name on the same day and commit replaces the first: the newest figure is the one kept."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    commit = short_commit()
    dirty = worktree_dirty()
    folder = folder or RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{now:%Y-%m-%d}-{commit}-{name}.md"
    header = [
        f"# {name}",
        "",
        "| | |",
        "|---|---|",
        f"| date | {now.isoformat().replace('+00:00', 'Z')} |",
        f"| commit | {commit} |",
        f"| dirty | {'yes' if dirty else 'no'} |",
        f"| command | `{command or ' '.join(['python', *sys.argv])}` |",
        f"| machine | {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()} |",
        "",
    ]
    path.write_text("\n".join(header) + "\n" + markdown.rstrip() + "\n", encoding="utf-8")
    return path


class _Tee(io.TextIOBase):
    """Writes go to the terminal and into a buffer, so a script's printed tables are kept as printed."""

    def __init__(self, terminal: TextIO) -> None:
        self.terminal = terminal
        self.buffer_text = io.StringIO()

    def write(self, text: str) -> int:
        self.buffer_text.write(text)
        return self.terminal.write(text)

    def flush(self) -> None:
        self.terminal.flush()


def module_name(function: Callable[..., Any]) -> str:
    """`bench.eval_real`, also when the module runs as `python -m bench.eval_real` (named `__main__`)."""
    spec = getattr(sys.modules.get(function.__module__), "__spec__", None)
    return spec.name if spec is not None else function.__module__


def recorded(name: str) -> Callable[[_Main], _Main]:
    """Decorate a bench script's `main`: its printed output is also written by `write_result`, named
    `<name>` plus its arguments (`eval_docs-extract-split-heldout`). Nothing is written when `main` fails or
    prints nothing, so a broken run never becomes the newest figure."""

    def decorate(main: _Main) -> _Main:
        @functools.wraps(main)
        def run(*args: Any, **kwargs: Any) -> Any:
            argv = args[0] if args and isinstance(args[0], list) else kwargs.get("argv") or sys.argv[1:]
            tee = _Tee(sys.stdout)
            sys.stdout = tee
            try:
                outcome = main(*args, **kwargs)
            finally:
                sys.stdout = tee.terminal
            printed = tee.buffer_text.getvalue()
            if printed.strip() and not outcome:
                full = "-".join(p for p in (name, slug(argv)) if p)
                command = " ".join(["python -m", module_name(main), *argv])
                path = write_result(full, f"```text\n{printed.rstrip()}\n```", command=command)
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                print(f"written to {shown}", file=sys.stderr)
            return outcome

        return cast(_Main, run)

    return decorate


# ---------------------------------------------------------------------------------------------
# The README table


@dataclass(frozen=True)
class Result:
    """One result file: its header and the printed text."""

    path: Path
    name: str
    date: str
    commit: str
    dirty: bool
    command: str
    text: str

    @property
    def day(self) -> str:
        return self.date[:10]


def read_result(path: Path) -> Result | None:
    text = path.read_text(encoding="utf-8")
    header = dict(re.findall(r"^\| (\w+) \| (.*) \|$", text, flags=re.MULTILINE))
    titled = re.match(r"# .* — (\d{4}-\d{2}-\d{2}), commit (\w+)", text)
    if titled and ("date" not in header or "commit" not in header):  # the benches that write their own title
        # their title has the day only: the measured commit's time orders runs of one day
        when = _git("show", "-s", "--format=%cI", titled.group(2))
        header |= {"date": when if when.startswith(titled.group(1)) else titled.group(1), "commit": titled.group(2)}
    if "date" not in header or "commit" not in header:
        return None
    name = path.stem.split("-", 4)[-1] if path.stem.count("-") >= 4 else path.stem
    return Result(
        path=path,
        name=name,
        date=header["date"],
        commit=header["commit"],
        dirty=header.get("dirty") == "yes",
        command=header.get("command", "").strip("`"),
        text=text,
    )


def all_results(folder: Path = RESULTS) -> list[Result]:
    """Every result file, oldest first (by the date in its header, not the file name)."""
    found = [r for p in sorted(folder.glob("*.md")) if (r := read_result(p)) is not None]
    return sorted(found, key=lambda r: r.date)


def split_of(result: Result) -> str:
    """The generated set an eval_docs run measured (`--split NAME`, default eval)."""
    match = re.search(r"--split[ =](\S+)", result.command)
    return match.group(1) if match else "eval"


def sections(text: str) -> list[tuple[str, list[str]]]:
    """Printed output cut at its `#` headings: (heading, lines under it)."""
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        heading = re.match(r"#+ (.*)", line)
        if heading:
            out.append((heading.group(1), []))
        elif out:
            out[-1][1].append(line)
    return out


def first_all_row(text: str, heading: str) -> list[str] | None:
    """The `all` row of the first table under a heading starting with `heading` (the split's own set:
    eval_docs prints it before the committed samples and the real samples)."""
    for title, lines in sections(text):
        if title.startswith(heading):
            for line in lines:
                cells = line.split()
                if cells and cells[0] == "all":
                    return cells
    return None


def docs_figures(text: str) -> dict[str, str]:
    """Headline figures of an eval_docs run on its split: page type right, fields exactly right, and wrong
    values on self-checked fields that nothing flagged."""
    out: dict[str, str] = {}
    types = first_all_row(text, "Accuracy per truth type")
    if types and len(types) >= 4:
        out["page type"] = f"{types[2]}/{types[1]} ({types[3]})"
    fields = first_all_row(text, "Fields per variant group")
    if fields and len(fields) >= 3:
        out["fields exact"] = f"{fields[2]} of {fields[1]}"
    if "page type" not in out:  # a `--families` run: its per-family tables, summed
        out |= family_figures(text)
    silent = re.search(r"silent wrong: (\d+) of (\d+) scored", text)
    if silent:
        out["wrong or missing, not flagged"] = f"{silent.group(1)} of {silent.group(2)} fields"
    checked = re.search(r"^silent wrong in all: (\d+) of (\d+) wrong values", text, flags=re.MULTILINE)
    if checked:
        out["wrong and silent"] = f"{checked.group(1)} of {checked.group(2)} wrong values (self-checked fields)"
    return out


def family_figures(text: str) -> dict[str, str]:
    """Headline figures of an eval_docs `--families` run: page type right summed over the families' rows
    (files × share right), and the fields' `all` row (scored, exact share, missing, wrong)."""
    out: dict[str, str] = {}
    part = text.split("## Type accuracy per template family", 1)
    if len(part) == 2:
        block = part[1].split("\n## ", 1)[0]
        # A family name as wide as its column runs into the part (document_camera_counterunseen).
        rows = re.findall(
            r"^(?!all )\S+\s+\S*?\s*(?:held-out|tuned|unseen)\s+(\d+)\s+(\d+)%", block, flags=re.MULTILINE
        )
        files = sum(int(n) for n, _ in rows)
        right = sum(round(int(n) * int(share) / 100) for n, share in rows)
        if files:
            out["page type"] = f"{right}/{files} ({round(100 * right / files)}%)"
    fields = re.search(r"^all (?:held-out|tuned|unseen)\s+(\d+)\s+(\d+)%\s+(\d+)\s+(\d+)", text, flags=re.MULTILINE)
    if fields:
        scored, share, missing, wrong = fields.groups()
        out["fields exact"] = f"{share}% of {scored} (missing {missing}, wrong {wrong})"
    return out


def real_figures(text: str) -> dict[str, str]:
    """Headline figures of an eval_real run: type accuracy, labelled fields exactly right, and wrong values
    no self-check or confidence flagged (the worst outcome: a clerk trusts them)."""
    match = re.search(r"type accuracy (\d+)/(\d+); labelled fields exactly right (\d+)/(\d+)", text)
    if not match:
        return {}
    t, n, f, m = match.groups()
    out = {"page type": f"{t}/{n}", "fields exact": f"{f}/{m}"}
    silent = re.search(r"wrong and silent (\d+)", text)
    if silent:
        out["wrong and silent"] = f"{silent.group(1)} of {m} fields"
    return out


def verdict_figures(text: str) -> dict[str, str]:
    """The verdict accuracy on generated cases (the first `accuracy` line eval_verdict prints)."""
    match = re.search(r"^accuracy (\d+/\d+ \(\d+%\))", text, flags=re.MULTILINE)
    return {"case verdict": match.group(1)} if match else {}


def service_figures(text: str) -> dict[str, str]:
    """The warm service's answer to one phone photo (p50 and p95) and a submission whose files the
    background had already read (service_bench's table)."""
    out: dict[str, str] = {}
    p50 = re.search(r"instant answer, p50 \| ([\d.]+ s)", text)
    p95 = re.search(r"instant answer, p95 \(n=(\d+)\) \| ([\d.]+ s)", text)
    if p50 and p95:
        out["photo answer p50 / p95"] = f"{p50.group(1)} / {p95.group(2)} (n={p95.group(1)})"
    cached = re.search(r"submitted, readings cached[^|]*\| ([\d.]+ s)", text)
    if cached:
        out["submit, files read in the background"] = cached.group(1)
    return out


@dataclass(frozen=True)
class Row:
    """One line of the README table: a set, whether anything was tuned on it, and how to find its files."""

    title: str
    tuned: str
    make: str
    select: Callable[[Result], bool]
    figures: Callable[[str], dict[str, str]]


ROWS = [
    Row(
        "unseen template families (written blind to the rules; never read by rule-writers)",
        "no, and not looked at while tuning",
        "make eval-unseen",
        lambda r: r.name.startswith("eval_docs") and split_of(r) == "unseen",
        docs_figures,
    ),
    Row(
        "held-out template families (`synth/families/split.yaml`)",
        "no, but this stop's misses were read while mending rules",
        "make eval-heldout",
        lambda r: r.name.startswith("eval_docs") and split_of(r) == "heldout",
        docs_figures,
    ),
    Row(
        "generated eval set (seeds 900000+)",
        "its template family yes, its seeds no",
        "make eval-classify eval-extract",
        lambda r: r.name.startswith("eval_docs") and split_of(r) == "eval",
        docs_figures,
    ),
    Row(
        "cases from unseen template families (seeds 980000+)",
        "no, and not looked at while tuning",
        "make eval-verdict-unseen",
        lambda r: r.name.startswith("eval_verdict") and split_of(r) == "unseen",
        verdict_figures,
    ),
    Row(
        "cases from held-out template families (seeds 970000+)",
        "no, but their wrong verdicts' failed checks were read (causes reproduced and mended on tune families)",
        "make eval-verdict-heldout",
        lambda r: r.name.startswith("eval_verdict") and split_of(r) == "heldout",
        verdict_figures,
    ),
    Row(
        "generated cases (seeds 950000+)",
        "its template family yes, its seeds no",
        "make eval-verdict",
        lambda r: r.name.startswith("eval_verdict") and split_of(r) == "eval",
        verdict_figures,
    ),
    Row(
        "real samples (`../shared/real-samples`, 15 files)",
        "partly: rules were mended after misses seen here",
        "make eval-real",
        lambda r: r.name.startswith("eval_real"),
        real_figures,
    ),
    Row(
        "warm service, a phone photo of the samples (2-core machine)",
        "speed, not accuracy",
        "make bench-service",
        lambda r: r.name == "service",
        service_figures,
    ),
]


def table(results: list[Result]) -> str:
    """The README table: per set and measure, the newest file that has the measure."""
    lines = [
        "| set | tuned on? | measure | result | date | commit | file |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in ROWS:
        newest: dict[str, tuple[str, Result]] = {}
        for result in results:  # oldest first: a later file replaces an earlier one
            if row.select(result):
                for measure, value in row.figures(result.text).items():
                    newest[measure] = (value, result)
        if not newest:
            lines.append(f"| {row.title} | {row.tuned} | — | not measured yet (`{row.make}`) | | | |")
        shown: Result | None = None
        for k, (measure, (value, result)) in enumerate(newest.items()):
            # the set, and the file's date and commit, once per group of rows they hold for
            title, tuned = (row.title, row.tuned) if k == 0 else ("", "")
            day = commit = link = ""
            if result is not shown:
                day, commit = result.day, result.commit + (" (dirty)" if result.dirty else "")
                link = f"[{result.path.name}](bench/results/{result.path.name})"
                shown = result
            lines.append(f"| {title} | {tuned} | {measure} | {value} | {day} | {commit} | {link} |")
    return "\n".join(lines)


def rewrite_readme(readme: Path = README, folder: Path = RESULTS) -> bool:
    """Replace what stands between the results markers in the README; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{readme.name}: the markers {BEGIN} and {END} are missing")
    new = text[: start + len(BEGIN)] + "\n" + table(all_results(folder)) + "\n" + text[end:]
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.results", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["readme", "table"], help="readme: rewrite README.md; table: print it")
    args = parser.parse_args(argv)
    if args.command == "table":
        print(table(all_results()))
        return 0
    changed = rewrite_readme()
    print(f"README.md results table {'rewritten' if changed else 'already current'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
