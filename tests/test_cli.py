"""The CLI contract end to end: real PP-OCR, the real embedded S3 server, real Prefect flows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from storage.store import ObjectStore

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "samples" / "cases"
TRUTH = ROOT / "samples" / "truth" / "cases"


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interfaces.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=900
    )


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load((CASES / "manifest.yaml").read_text(encoding="utf-8"))


def test_process_json_shape_and_storage(cli_env: dict[str, str], object_store_for_cli: ObjectStore) -> None:
    """GIVEN the complete inpatient sample case WHEN `intake process --json` runs
    THEN the output follows the contract and the originals and verdict are in the bucket."""
    case_dir = CASES / "c01_inpatient_complete"
    result = run_cli(
        "process", "--item", "住院费用报销", "--case-date", "2025-06-20", "--json", str(case_dir), env=cli_env
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) >= {"case_id", "item", "verdict", "missing", "reasons", "notice", "documents", "storage"}
    assert out["item"]["name"] == "住院费用报销" and out["item"]["region"] == "浙江省"
    assert out["verdict"] in {"complete", "incomplete", "needs_review", "rejected"}
    types = {d["doc_type"] for d in out["documents"]}
    assert {"invoice", "discharge_record", "expense_list", "id_card"} <= types
    for d in out["documents"]:
        assert set(d) >= {
            "source",
            "pages",
            "doc_type",
            "side",
            "confidence",
            "is_copy",
            "has_seal",
            "fields",
            "checks",
        }
        assert d["source"].startswith(str(case_dir))
        for f in d["fields"].values():
            assert set(f) == {"value", "confidence", "page", "bbox"}
    store = object_store_for_cli
    prefix = out["storage"]["prefix"]
    assert store.exists(prefix + "verdict.json")
    verdict = store.get_json(prefix + "verdict.json")
    assert verdict["status"] == out["verdict"]
    for path in sorted(case_dir.iterdir()):
        import hashlib

        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert store.get_bytes(f"originals/{digest[:2]}/{digest}") == path.read_bytes()


def test_unknown_item_exits_2_with_one_line(cli_env: dict[str, str]) -> None:
    result = run_cli("process", "--item", "不存在的事项", str(CASES), env=cli_env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_unreachable_storage_exits_3(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "INTAKE_S3_ENDPOINT": "127.0.0.1:9"}
    result = run_cli("process", "--item", "住院费用报销", str(CASES / "c02_inpatient_missing_list"), env=env)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr and env["INTAKE_S3_SECRET_KEY"] not in result.stderr


def test_items_lists_and_shows(cli_env: dict[str, str]) -> None:
    listed = run_cli("items", "--json", env=cli_env)
    assert listed.returncode == 0
    names = {i["name"] for i in json.loads(listed.stdout)}
    assert {"住院费用报销", "门诊费用报销", "异地长期居住人员备案"} <= names
    shown = run_cli("items", "show", "住院费用报销", env=cli_env)
    assert shown.returncode == 0 and "住院费用汇总明细清单" in shown.stdout


def test_classify_json(cli_env: dict[str, str]) -> None:
    result = run_cli("classify", "--json", str(CASES / "c01_inpatient_complete"), env=cli_env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and all(set(r) >= {"source", "page", "doc_type", "side", "confidence"} for r in rows)


def test_batch_twice_creates_nothing_new(
    cli_env: dict[str, str], object_store_for_cli: ObjectStore, manifest: dict[str, Any]
) -> None:
    """GIVEN the sample batch WHEN it runs twice THEN the second run writes no new object and
    every case's verdict matches its ground truth."""
    args = ("batch", str(CASES), "--manifest", str(CASES / "manifest.yaml"), "--json")
    first = run_cli(*args, env=cli_env)
    assert first.returncode == 0, first.stderr
    keys_after_first = set(object_store_for_cli.list_keys(""))
    second = run_cli(*args, env=cli_env)
    assert second.returncode == 0, second.stderr
    assert set(object_store_for_cli.list_keys("")) == keys_after_first
    report = json.loads(second.stdout)
    assert report["totals"]["cases"] == len(manifest["cases"])
    # A case id is its manifest name with the batch's identity appended (`name-<12 hex>`).
    by_id = {c["case_id"].rsplit("-", 1)[0]: c for c in report["cases"]}
    for case in manifest["cases"]:
        truth = json.loads((TRUTH / f"{case['case_id']}.json").read_text(encoding="utf-8"))
        got = by_id[case["case_id"]]
        assert got["verdict"] == truth["expected_verdict"], (case["case_id"], got["missing"], got["reasons"])
