"""`intake`: the command line. Parses arguments, prepares the environment, runs flows or stages.

Exit status 0 for any verdict; 2 for bad arguments or an unknown item; 3 when storage cannot be
reached. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from intake.requests import RunSettings
from intake.settings import Settings


class UsageError(Exception):
    pass


def quiet_environment(settings: Settings) -> None:
    """Offline, no telemetry, Prefect without a server unless PREFECT_API_URL says otherwise. These are
    process-wide switches read by onnxruntime and Prefect at import (before the flows are imported),
    not parameters: a run's parameters go to the flows as `RunSettings`."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if "PREFECT_HOME" not in os.environ:
        home = (settings.data_dir / "prefect").resolve()
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)


def use_running_servers(settings: Settings) -> Settings:
    """Servers left running by `intake up` (or a worker host) for this data dir, used instead of starting an
    embedded S3 server and a temporary Prefect server per call. Read once here, at the edge: the S3 endpoint
    goes into the settings passed down; Prefect's API address is process-wide configuration that Prefect
    reads at import, like PREFECT_HOME, so it goes into the environment. Given settings win."""
    from interfaces.servers import running_servers

    state = running_servers(settings)
    if state is None:
        return settings
    os.environ.setdefault("PREFECT_API_URL", state.prefect_api_url)
    return settings if settings.s3_endpoint else settings.model_copy(update={"s3_endpoint": state.s3_endpoint})


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given; folders → their files, sorted. Unsupported files are kept: the case reports them."""
    out: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            out.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            out.append(given)
        else:
            raise UsageError(f"找不到文件或目录：{given}")
    if not out:
        raise UsageError("没有可处理的文件")
    return out


def parse_options(pairs: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--option 需要 KEY=VALUE 形式：{pair}")
        options[key.strip()] = value.strip()
    return options


@contextmanager
def object_store(settings: Settings) -> Iterator[tuple[Any, RunSettings]]:
    """The configured S3 endpoint, or the embedded SeaweedFS server for the length of the command, with
    the run settings the flows are given (the endpoint that is actually serving)."""
    from storage.server import object_store_from_settings

    with object_store_from_settings(settings) as store:
        run = RunSettings.from_settings(settings).model_copy(update={"s3_endpoint": store.endpoint})
        yield store, run


def cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    from flows.case_flow import process_case
    from intake.catalog import default_catalog
    from intake.requests import CaseRequest, InputRef
    from interfaces.report import case_json, case_text

    default_catalog().find(args.item, args.region)  # unknown item → exit 2 before any work
    files = expand_paths(args.paths)
    request = CaseRequest(
        item=args.item,
        region=args.region,
        agent=args.agent,
        options=parse_options(args.option),
        case_date=args.case_date or dt.date.today(),
        files=[InputRef(source=f, path=f) for f in files],
    )
    with object_store(settings) as (_, run):
        result = process_case(request, run)
    print(json.dumps(case_json(result), ensure_ascii=False, indent=2) if args.json else case_text(result))
    return 0


def cmd_batch(args: argparse.Namespace, settings: Settings) -> int:
    from flows.batch_flow import batch_intake
    from interfaces.manifest import cases_from_folders, load_manifest
    from interfaces.report import batch_json, batch_text

    root = Path(args.dir)
    if not root.is_dir():
        raise UsageError(f"找不到批次目录：{args.dir}")
    if args.manifest:
        cases = load_manifest(Path(args.manifest))
    else:
        if not args.item:
            raise UsageError("没有 --manifest 时需要用 --item 指定事项")
        cases = cases_from_folders(root, args.item, args.region)
    deployment = None
    if args.on_workers:
        from flows.deployments import CASE_DEPLOYMENT

        if "PREFECT_API_URL" not in os.environ:
            raise UsageError("--on-workers 需要 Prefect 服务：先运行 intake up，或设置 PREFECT_API_URL")
        deployment = CASE_DEPLOYMENT
    from flows.deployments import NoDeployment

    with object_store(settings) as (store, run):
        try:
            report = batch_intake(str(root), cases, run, case_deployment=deployment, lost_after=args.lost_after)
        except NoDeployment as exc:
            raise UsageError(str(exc)) from exc
        endpoint = store.endpoint
    print(json.dumps(batch_json(report), ensure_ascii=False, indent=2) if args.json else batch_text(report, endpoint))
    return 0


def cmd_classify(args: argparse.Namespace, settings: Settings) -> int:
    from interfaces.report import classify_rows
    from pipeline.analyse import classify_files

    rows = classify_rows(classify_files(expand_paths(args.paths), settings))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            side = f"/{r['side']}" if r["side"] else ""
            print(f"{r['source']}  第{r['page']}页  {r['doc_type']}{side}  置信度 {r['confidence']:.2f}")
    return 0


def cmd_ocr(args: argparse.Namespace, settings: Settings) -> int:
    from pipeline.analyse import read_files

    pages = read_files(expand_paths([args.path]), settings)
    if args.json:
        print(json.dumps([p.model_dump(mode="json") for p in pages], ensure_ascii=False, indent=2))
    else:
        for page in pages:
            how = "文本层" if page.text_layer else f"OCR（旋转 {page.rotation}°）"
            print(f"== {page.source} 第{page.page}页 {how}")
            if page.quality and page.quality.issues:
                print(f"   质量问题：{', '.join(page.quality.issues)}")
            for line in page.lines:
                print(f"{line.confidence:.2f}  {line.text}")
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """A Prefect process worker on the pool, after deploying the flows to it (idempotent). Each flow run is a
    process that loads the OCR models once for all the pages of its case; `--limit` runs at once (default:
    the cores shared out by OCR threads). Its credentials are this host's own settings, never parameters."""
    if "PREFECT_API_URL" not in os.environ:
        raise UsageError("没有 Prefect 服务：先运行 intake up，或设置 PREFECT_API_URL")
    # Flow runs beat so that a batch notices a worker host that died and gives its case to another worker.
    os.environ.setdefault("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "30")  # Prefect's minimum
    from flows.deployments import deploy

    if not args.no_deploy:
        deploy(args.pool)
    limit = args.limit or max(1, (os.cpu_count() or 1) // settings.ocr.threads)
    command = [sys.executable, "-m", "prefect", "worker", "start", "--pool", args.pool, "--type", "process"]
    command += ["--limit", str(limit)] + (["--name", args.name] if args.name else [])
    sys.stdout.flush()
    # The worker says which runs it takes (INFO); its runs log case ids and verdicts only (PIPL).
    os.execve(sys.executable, command, {**os.environ, "PREFECT_LOGGING_LEVEL": "INFO"})


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from interfaces import servers

    if args.foreground:
        return servers.host(settings)
    try:
        state = servers.up(settings)
    except RuntimeError as exc:
        raise UsageError(str(exc)) from exc
    print(servers.state_json(state) if args.json else f"S3 {state.s3_endpoint}  Prefect {state.prefect_api_url}")
    return 0


def cmd_down(args: argparse.Namespace, settings: Settings) -> int:
    from interfaces import servers

    print("已停止后台服务" if servers.down(settings) else "没有运行中的后台服务")
    return 0


def cmd_items(args: argparse.Namespace, settings: Settings) -> int:
    from intake.catalog import default_catalog
    from interfaces.report import item_checklist, items_table

    catalog = default_catalog()
    if args.show:
        item = catalog.find(args.show, args.region)
        print(
            json.dumps(item.model_dump(mode="json"), ensure_ascii=False, indent=2)
            if args.json
            else item_checklist(item)
        )
        return 0
    items = [
        i
        for i in catalog.items
        if (not args.region or args.region in i.region) and (not args.category or args.category in i.category)
    ]
    if args.json:
        print(
            json.dumps(
                [{"id": i.id, "name": i.name, "region": i.region, "category": i.category} for i in items],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(items_table(items))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description="医保申办材料收件、识别与核验")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("process", help="把若干文件作为一个案件处理")
    p.add_argument("--item", required=True, help="事项名称（如 住院费用报销）或 ASCII id")
    p.add_argument("--region", help="地区，事项名称在多个地区存在时用于区分（默认 浙江省）")
    p.add_argument("--agent", action="store_true", help="委托他人办理")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="事项条件，如 employed=true")
    p.add_argument("--case-date", type=dt.date.fromisoformat, help="办理日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--json", action="store_true")
    p.add_argument("paths", nargs="+")
    p.set_defaults(func=cmd_process)

    b = sub.add_parser("batch", help="批量处理：每个子目录或清单中的每一行为一个案件")
    b.add_argument("dir")
    b.add_argument("--manifest", help="清单文件（YAML）")
    b.add_argument("--item", help="无清单时所有案件的事项")
    b.add_argument("--region")
    b.add_argument("--json", action="store_true")
    b.add_argument(
        "--on-workers", action="store_true", help="每个案件交给工作进程池（需要 Prefect 服务与 intake worker）"
    )
    b.add_argument("--lost-after", type=float, default=90.0, help=argparse.SUPPRESS)
    b.set_defaults(func=cmd_batch)

    w = sub.add_parser("worker", help="启动工作进程：从 Prefect 工作池领取案件")
    w.add_argument("--pool", default="intake", help="工作池名称（默认 intake）")
    w.add_argument("--limit", type=int, help="同时处理的案件数（默认 CPU 核数 / OCR 线程数）")
    w.add_argument("--name", help="工作进程名称")
    w.add_argument("--no-deploy", action="store_true", help="不部署流程（已由其他主机部署）")
    w.set_defaults(func=cmd_worker)

    u = sub.add_parser("up", help="在后台启动 S3 与 Prefect 服务，后续命令直接使用")
    u.add_argument("--json", action="store_true")
    u.add_argument("--foreground", action="store_true", help=argparse.SUPPRESS)
    u.set_defaults(func=cmd_up)

    d = sub.add_parser("down", help="停止 intake up 启动的后台服务")
    d.set_defaults(func=cmd_down)

    c = sub.add_parser("classify", help="逐页识别材料类型")
    c.add_argument("--json", action="store_true")
    c.add_argument("paths", nargs="+")
    c.set_defaults(func=cmd_classify)

    o = sub.add_parser("ocr", help="输出逐页 OCR 结果")
    o.add_argument("--json", action="store_true")
    o.add_argument("path")
    o.set_defaults(func=cmd_ocr)

    i = sub.add_parser("items", help="办理事项目录；items show ITEM 显示材料清单")
    i.add_argument("show_word", nargs="?", choices=["show"], help=argparse.SUPPRESS)
    i.add_argument("show", nargs="?", help=argparse.SUPPRESS)
    i.add_argument("--region")
    i.add_argument("--category")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_items)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "items" and args.show_word and not args.show:
        parser.error("items show 需要事项名称")
    settings = Settings()
    if args.command not in ("up", "down"):
        settings = use_running_servers(settings)
    quiet_environment(settings)
    from intake.catalog import UnknownItem
    from storage.store import StorageUnavailable

    try:
        return int(args.func(args, settings))
    except (UsageError, UnknownItem) as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return 2
    except StorageUnavailable as exc:
        print(f"intake: 对象存储不可用：{exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
