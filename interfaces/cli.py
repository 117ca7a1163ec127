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

from intake.settings import Settings


class UsageError(Exception):
    pass


def quiet_environment(settings: Settings) -> None:
    """Offline, no telemetry, Prefect without a server unless PREFECT_API_URL says otherwise."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if "PREFECT_HOME" not in os.environ:
        home = (settings.data_dir / "prefect").resolve()
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)


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
def object_store(settings: Settings) -> Iterator[Any]:
    """The configured S3 endpoint, or the embedded SeaweedFS server for the length of the command."""
    from storage.server import object_store_from_settings

    with object_store_from_settings(settings) as store:
        os.environ["INTAKE_S3_ENDPOINT"] = store.endpoint
        yield store


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
    with object_store(settings):
        result = process_case(request)
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
    with object_store(settings) as store:
        report = batch_intake(str(root), cases)
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
    b.set_defaults(func=cmd_batch)

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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "items" and args.show_word and not args.show:
        parser.error("items show 需要事项名称")
    settings = Settings()
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
