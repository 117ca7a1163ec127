"""The docs that are generated stay generated: docs/configuration.md from the settings models, the README's
results table from the dated result files; and the README stays a short page for users."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, Discriminator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bench import config_docs, results

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def test_configuration_md_is_what_the_settings_models_give() -> None:
    """GIVEN the settings models WHEN docs/configuration.md is generated in memory THEN it is the committed file
    (a changed setting without `make docs-config` fails here)."""
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == config_docs.render(), "docs/configuration.md is out of date: run `make docs-config`"


def test_readme_is_short_and_names_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 300
    assert "make demo" in text
    assert "make test" in text
    assert text.index(results.BEGIN) < text.index(results.END)


def test_readme_results_table_is_what_the_result_files_give() -> None:
    """A result file committed without `make results` leaves the README's table behind: caught here."""
    text = README.read_text(encoding="utf-8")
    between = text[text.index(results.BEGIN) + len(results.BEGIN) : text.index(results.END)]
    assert between.strip() == results.table(results.all_results()), "run `make results`"


class _Base(BaseModel):
    # Shared by every engine: threads per worker.
    threads: int = 2


class _One(_Base):
    kind: Literal["one"] = "one"
    speed: float = Field(default=1.5, description="how fast, from the description")


class _Two(_Base):
    """The second engine."""

    kind: Literal["two"] = "two"
    folder: Path | None = None  # where its models are


class _Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", env_nested_delimiter="__")

    # Host and port of the store.
    endpoint: str | None = None
    engine: Annotated[_One | _Two, Discriminator("kind")] = Field(default_factory=_One)


def test_config_docs_lists_fields_with_env_names_types_defaults_and_descriptions() -> None:
    sections = config_docs.model_sections(_Settings, "INTAKE_", "Top level")
    text = "\n\n".join(config_docs.section_markdown(s) for s in sections)
    assert "| `INTAKE_ENDPOINT` | str \\| None | unset | Host and port of the store. |" in text
    assert "## `engine` when `kind` is `one`: _One" in text
    assert "## `engine` when `kind` is `two`: _Two" in text
    assert "| `INTAKE_ENGINE__SPEED` | float | `1.5` | how fast, from the description |" in text
    assert "| `INTAKE_ENGINE__FOLDER` | Path \\| None | unset | where its models are |" in text
    # a field declared on a base model keeps the comment written there
    assert "| `INTAKE_ENGINE__THREADS` | int | `2` | Shared by every engine: threads per worker. |" in text
    assert "The second engine." in text


def test_config_docs_never_prints_a_secret_default() -> None:
    assert "intake-local-secret" not in config_docs.render()


REAL_OUTPUT = """```text
Real samples (../shared/real-samples): 15 files — neither tuning nor generated evaluation data.

type accuracy {t}/15; labelled fields exactly right {f}/82
misses: missing 0; wrong and flagged 3; wrong and silent 1
```"""

DOCS_OUTPUT = """```text
## Accuracy per truth type (type and, for ID cards, side; one document per file) — generated/heldout
invoice                 10     8   80%
all                     40    30   75%

## Accuracy per truth type (type and, for ID cards, side; one document per file) — committed samples
all                     20    20  100%
```"""


def test_write_result_names_the_file_by_date_commit_and_name(tmp_path: Path) -> None:
    path = results.write_result("eval_real", "body", command="python -m bench.eval_real", folder=tmp_path)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-([0-9a-f]{7}|nocommit)-eval_real\.md", path.name)
    text = path.read_text(encoding="utf-8")
    for key in ("date", "commit", "dirty", "command", "machine"):
        assert re.search(rf"^\| {key} \| .+ \|$", text, flags=re.MULTILINE), key
    assert text.rstrip().endswith("body")


def _result_file(folder: Path, stem: str, date: str, command: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    header = (
        f"# x\n\n| | |\n|---|---|\n| date | {date} |\n| commit | abc1234 |\n| dirty | no |\n| command | `{command}` |\n"
    )
    (folder / f"{stem}.md").write_text(header + "\n" + body + "\n", encoding="utf-8")


def test_a_run_given_many_paths_gets_a_short_name_of_its_own() -> None:
    paths = [f"generated/heldout/documents/invoice_{n:06d}_paper_carbon_classes.jpg" for n in range(40)]
    name, other = results.slug(paths), results.slug(paths[:-1])
    assert len(name) <= results.SLUG_LIMIT and len(other) <= results.SLUG_LIMIT
    assert name != other and name.startswith("generated-heldout-documents-invoice_000000")
    assert results.slug(["--split", "heldout"]) == "split-heldout"


def test_readme_table_takes_the_newest_file_of_each_set(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    real = "python -m bench.eval_real"
    heldout = "python -m bench.eval_docs --classify --split heldout"
    # named so that file-name order and date order disagree: the header's date decides
    _result_file(folder, "2026-12-06-fff0000-eval_real", "2026-12-06T05:00:00Z", real, REAL_OUTPUT.format(t=13, f=70))
    _result_file(folder, "2026-12-06-0000000-eval_real", "2026-12-06T06:00:00Z", real, REAL_OUTPUT.format(t=14, f=78))
    _result_file(
        folder, "2026-12-06-0000000-eval_docs-classify-split-heldout", "2026-12-06T06:00:00Z", heldout, DOCS_OUTPUT
    )
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{results.BEGIN}\nold\n{results.END}\n\nafter\n", encoding="utf-8")
    assert results.rewrite_readme(readme, folder)
    out = readme.read_text(encoding="utf-8")
    assert "old" not in out and out.endswith(f"{results.END}\n\nafter\n")
    rows = out.splitlines()
    first = next(k for k, line in enumerate(rows) if line.startswith("| real samples"))
    real_rows = rows[first : first + 3]
    assert [row.split(" | ")[3] for row in real_rows] == ["14/15", "78/82", "1 of 82 fields"]
    assert "2026-12-06 | abc1234 | [2026-12-06-0000000-eval_real.md]" in real_rows[0]  # the 06:00 file
    heldout = next(line for line in out.splitlines() if line.startswith("| held-out") and "page type" in line)
    assert "30/40 (75%)" in heldout  # the split's own set, not the committed samples printed after it
    assert "| not measured yet (`make eval-classify eval-extract`) |" in out  # no eval file: said so
    assert not results.rewrite_readme(readme, folder)  # a second run changes nothing


def test_recorded_keeps_printing_and_writes_what_was_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(results, "RESULTS", tmp_path)

    @results.recorded("probe")
    def main(argv: list[str] | None = None) -> int:
        print("type accuracy 1/1")
        return 0

    assert main(["--split", "heldout"]) == 0
    assert "type accuracy 1/1" in capsys.readouterr().out
    [written] = tmp_path.glob("*-probe-split-heldout.md")
    assert "type accuracy 1/1" in written.read_text(encoding="utf-8")


def test_recorded_writes_nothing_when_the_run_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results, "RESULTS", tmp_path)

    @results.recorded("probe")
    def main(argv: list[str] | None = None) -> int:
        print("half a table")
        raise SystemExit("generated/eval is missing")

    with pytest.raises(SystemExit):
        main([])
    assert not list(tmp_path.iterdir())


def test_a_family_row_whose_name_fills_its_column_is_counted() -> None:
    """GIVEN an eval_docs type table where a long family name runs into its part THEN every family row is
    counted once, and the `all` row is not counted again."""
    text = (
        "## Type accuracy per template family × variant (right/files) — x\n"
        "truth             family                part         n   acc\n"
        "id_card/back      document_camera_counterunseen       4  100%\n"
        "invoice           ebill_grey_thousands  unseen       4   50%\n"
        "all unseen                                           8   75%\n"
    )
    assert results.family_figures(text)["page type"] == "6/8 (75%)"
