"""`intake`: the command line. Parses arguments, prepares the environment, runs flows or stages.

Exit status 0 for any verdict (a file that cannot be read is a row of the output with its code,
and the other files go on); 2 for bad arguments, an unusable manifest, an unknown item or a refused
storage configuration (e.g. production without its own keys); 3 when storage cannot be reached; 1 for
an internal fault. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake.requests import RunSettings
from intake.settings import Settings

if TYPE_CHECKING:
    from interfaces.manifest import RefusedFile


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
        from storage.private import private_dir

        # Prefect's database and result files name cases and hold their results: the owner's alone.
        home = private_dir(private_dir(settings.data_dir.resolve()) / "prefect")
        os.environ["PREFECT_HOME"] = str(home)


def worker_environment() -> None:
    """Prefect's switches for a worker host, set before Prefect is imported (it reads them once): flow runs
    beat so that a batch notices a worker host that died and gives its case to another worker; the worker says
    which runs it takes (INFO), and its runs log case ids and verdicts only (PIPL)."""
    os.environ.setdefault("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "30")  # Prefect's minimum
    # An idle worker asks for work every 5 s rather than Prefect's 10: a batch's first cases wait half as long
    # for a worker (a busy one asks again as soon as a case ends); a poll costs the server some 10-25 ms.
    os.environ.setdefault("PREFECT_WORKER_QUERY_SECONDS", "5")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")


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


def expand_paths(paths: list[str]) -> tuple[list[str], list[RefusedFile]]:
    """Files as given; folders → their files, sorted. Unsupported files are kept: the case reports them.
    Symbolic links, devices and pipes are refused with their codes and never followed, given by name
    or found in a folder (a link named x.jpg may point at /etc/passwd)."""
    from interfaces.manifest import RefusedFile, folder_entries
    from ocr.loader import path_problem

    out: list[str] = []
    refused: list[RefusedFile] = []
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            raise UsageError(f"找不到文件或目录：{given}")
        entries = folder_entries(path) if stat.S_ISDIR(os.lstat(path).st_mode) else [path]
        for entry in entries:
            code = path_problem(entry)
            if code is None:
                out.append(str(entry))
            else:
                refused.append(RefusedFile(file=str(entry), code=code))
    if not out and not refused:
        raise UsageError("没有可处理的文件")
    return out, refused


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
    from interfaces.report import case_json, case_text, refused_json, refused_text

    default_catalog().find(args.item, args.region)  # unknown item → exit 2 before any work
    files, refused = expand_paths(args.paths)
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
    if args.json:
        print(json.dumps({**case_json(result), "refused": refused_json(refused)}, ensure_ascii=False, indent=2))
    else:
        print("\n".join([case_text(result), *refused_text(refused)]))
    return 0


def cmd_batch(args: argparse.Namespace, settings: Settings) -> int:
    from intake.catalog import UnknownItem, default_catalog
    from interfaces.manifest import cases_from_folders, load_manifest, screen_files
    from interfaces.report import batch_json, batch_text, refused_json, refused_text

    root = Path(args.dir)
    if not root.is_dir():
        raise UsageError(f"找不到批次目录：{args.dir}")
    if args.manifest:
        cases = load_manifest(Path(args.manifest))
    else:
        if not args.item:
            raise UsageError("没有 --manifest 时需要用 --item 指定事项")
        cases = cases_from_folders(root, args.item, args.region)
    catalog = default_catalog()
    for case in cases:  # an unknown item → exit 2 before any work, naming the case
        try:
            catalog.find(case.item, case.region)
        except UnknownItem as exc:
            raise UsageError(f"案件 {case.case_id}：{exc}") from exc
    cases, refused = screen_files(root, cases)
    deployment = None
    if args.on_workers:
        from flows.deployments import CASE_DEPLOYMENT

        if "PREFECT_API_URL" not in os.environ:
            raise UsageError("--on-workers 需要 Prefect 服务：先运行 intake up，或设置 PREFECT_API_URL")
        deployment = CASE_DEPLOYMENT
    from flows.batch_flow import batch_intake, case_id_in_batch  # Prefect's start-up once the batch is good
    from flows.deployments import NoDeployment

    with object_store(settings) as (store, run):
        try:
            report = batch_intake(str(root), cases, run, case_deployment=deployment, lost_after=args.lost_after)
        except NoDeployment as exc:
            raise UsageError(str(exc)) from exc
        endpoint = store.endpoint
    # A refused file names its case as the report does (the manifest's name with the batch's identity).
    refused = [
        dataclasses.replace(r, case_id=case_id_in_batch(report.batch_id, r.case_id)) if r.case_id else r
        for r in refused
    ]
    if args.json:
        print(json.dumps({**batch_json(report), "refused": refused_json(refused)}, ensure_ascii=False, indent=2))
    else:
        print("\n".join([batch_text(report, endpoint), *refused_text(refused)]))
    return 0


def cmd_classify(args: argparse.Namespace, settings: Settings) -> int:
    from interfaces.report import classify_rows, error_row
    from pipeline.analyse import classify_files

    files, refused = expand_paths(args.paths)
    rows = [error_row(r.file, r.code) for r in refused]
    for path in files:  # one file at a time: a file that fails is a row, the others go on
        try:
            rows += classify_rows(classify_files([path], settings))
        except Exception:
            rows.append(error_row(path, None))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            if r["error"]:
                print(f"{r['source']}  [{r['error']['code']}] {r['error']['message']}")
                continue
            side = f"/{r['side']}" if r["side"] else ""
            print(f"{r['source']}  第{r['page']}页  {r['doc_type']}{side}  置信度 {r['confidence']:.2f}")
    return 0


def cmd_ocr(args: argparse.Namespace, settings: Settings) -> int:
    from intake.models import Page
    from interfaces.report import error_row, page_error
    from pipeline.analyse import read_files

    files, refused = expand_paths([args.path])
    out: list[Page | dict[str, Any]] = [error_row(r.file, r.code) for r in refused]
    for path in files:  # one file at a time: a file that fails is a row, the others go on
        try:
            pages = read_files([path], settings)
        except Exception:
            out.append(error_row(path, None))
            continue
        out += [error_row(p.source, code) if (code := page_error(p)) else p for p in pages]
    if args.json:
        rows = [o if isinstance(o, dict) else o.model_dump(mode="json") for o in out]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for page in out:
        if isinstance(page, dict):
            print(f"== {page['source']}  [{page['error']['code']}] {page['error']['message']}")
            continue
        how = "文本层" if page.text_layer else f"OCR（旋转 {page.rotation}°）"
        print(f"== {page.source} 第{page.page}页 {how}")
        if page.quality and page.quality.issues:
            print(f"   质量问题：{', '.join(page.quality.issues)}")
        for line in page.lines:
            print(f"{line.confidence:.2f}  {line.text}")
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """A worker on the pool, after deploying the flows to it (idempotent). By default a warm worker: one process
    that loads the OCR models once and runs every flow run it takes in itself (flows/worker.py), so a case pays
    no interpreter start, imports or model load; `--isolated`: Prefect's process worker, a new process per
    flow run. `--limit` runs at once (default: a warm worker two, one read while the other's steps run beside
    it, flows.worker.default_limit; a process worker the cores shared out by OCR threads). Its credentials are
    this host's own settings, never parameters."""
    if "PREFECT_API_URL" not in os.environ:
        raise UsageError("没有 Prefect 服务：先运行 intake up，或设置 PREFECT_API_URL")
    from flows.deployments import deploy

    if not args.no_deploy:
        deploy(args.pool)
    from flows.worker import default_limit

    limit = args.limit or default_limit(os.cpu_count() or 1, settings.ocr.threads, warm=not args.isolated)
    if not args.isolated:
        import asyncio
        from functools import partial

        from flows.worker import WarmWorker, warm_up

        warm_up(settings)
        worker = WarmWorker(work_pool_name=args.pool, limit=limit, name=args.name)
        asyncio.run(worker.start(printer=partial(print, flush=True)))
        return 0
    command = [sys.executable, "-m", "prefect", "worker", "start", "--pool", args.pool, "--type", "process"]
    command += ["--limit", str(limit)] + (["--name", args.name] if args.name else [])
    sys.stdout.flush()
    os.execve(sys.executable, command, dict(os.environ))


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


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from interfaces.http.server import run

    run(settings, args.host, args.port)
    return 0


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    """`users add NAME --role clerk|supervisor`: the password is read from standard input (asked
    twice at a terminal, else its first line), never from the command line or the environment."""
    import getpass

    from db import users
    from db.migrate import upgrade
    from db.models import Role
    from db.session import database_url, make_engine, session_factory

    url = database_url(settings)
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            if args.users_command == "list":
                for user in users.list_users(session):
                    print(f"{user.username}\t{user.role}\t{'启用' if user.active else '停用'}")
                return 0
            if sys.stdin.isatty():
                password = getpass.getpass("密码：")
                if getpass.getpass("再次输入密码：") != password:
                    raise UsageError("两次输入的密码不一致")
            else:
                password = sys.stdin.readline().rstrip("\r\n")
            try:
                user = users.add_user(session, args.name, password, Role(args.role), args.display_name or "")
            except users.UserError as exc:
                raise UsageError(str(exc)) from exc
            session.commit()
            print(f"已添加用户 {user.username}（{user.role}）")
            return 0
    finally:
        engine.dispose()


def cmd_review_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Run the `review-daily-summary` flow once (a schedule runs it daily): the artifact's version is
    stored in Prefect under the key `review-daily-summary`; its id is printed."""
    from flows.monitoring import SUMMARY_KEY, review_daily_summary

    artifact_id = review_daily_summary(days=args.days)
    print(f"已生成复核汇总（Prefect 产出物 {SUMMARY_KEY}，版本 {artifact_id}）")
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
    w.add_argument(
        "--limit", type=int, help="同时处理的案件数（默认：常驻 worker 为 2；--isolated 为 CPU 核数 / OCR 线程数）"
    )
    w.add_argument("--name", help="工作进程名称")
    w.add_argument("--no-deploy", action="store_true", help="不部署流程（已由其他主机部署）")
    w.add_argument("--isolated", action="store_true", help="每个案件启动一个新进程（Prefect 进程工作器，较慢）")
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

    s = sub.add_parser("serve", help="启动 HTTP 收件服务（FastAPI，模型常驻内存）")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8080)
    s.set_defaults(func=cmd_serve)

    u = sub.add_parser("users", help="工作人员账号：users add NAME --role clerk|supervisor（密码从标准输入读取）")
    users_sub = u.add_subparsers(dest="users_command", required=True)
    ua = users_sub.add_parser("add", help="添加账号")
    ua.add_argument("name")
    ua.add_argument("--role", required=True, choices=["clerk", "supervisor"])
    ua.add_argument("--display-name", help="显示名称（默认同用户名）")
    users_sub.add_parser("list", help="列出账号")
    u.set_defaults(func=cmd_users)

    r = sub.add_parser("review-summary", help="生成复核每日汇总（Prefect 产出物 review-daily-summary）")
    r.add_argument("--days", type=int, default=1, choices=range(1, 367), metavar="N", help="统计近 N 天（默认 1）")
    r.set_defaults(func=cmd_review_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "items" and args.show_word and not args.show:
        parser.error("items show 需要事项名称")
    settings = Settings()
    if args.command not in ("up", "down"):
        settings = use_running_servers(settings)
    if args.command == "worker":
        worker_environment()
    quiet_environment(settings)
    if args.command in ("process", "batch"):  # they start servers (S3, Prefect's API) and workers
        from interfaces.lifecycle import watch_over_children

        watch_over_children()
    from intake.catalog import UnknownItem
    from interfaces.manifest import ManifestError
    from storage.credentials import StorageConfigError
    from storage.store import StorageUnavailable

    try:
        return int(args.func(args, settings))
    except (UsageError, UnknownItem, ManifestError, StorageConfigError) as exc:
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
    except Exception as exc:
        # Never a traceback: its frames may hold document text or personal data. The kind is enough to
        # find the fault again with the same input.
        print(f"intake: 内部错误（{type(exc).__name__}），需人工处理", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
