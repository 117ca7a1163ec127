"""docs/configuration.md, generated from the settings models so the reference cannot drift from the code.

    python -m bench.config_docs          # `make docs-config`: rewrite docs/configuration.md
    python -m bench.config_docs --check  # exit 1 when the file is not what the models give

Every field of `intake.settings.Settings` and of the models nested in it is listed with its type, default,
environment variable (`INTAKE_` prefix, `__` between nesting levels) and description. The description is
the field's `Field(description=...)` where it has one, else the comment block just above the field in the
source, else the comment at the end of its line: the comments the code already carries are the reference.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import sys
import textwrap
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from bench.sets import ROOT
from intake.settings import Settings

TARGET = ROOT / "docs" / "configuration.md"


@dataclass(frozen=True)
class Section:
    """One model's table: its environment prefix, the model and what the reader is told about it."""

    prefix: str
    model: type[BaseModel]
    title: str


def source_comments(model: type[BaseModel]) -> dict[str, str]:
    """Field name → the comment block just above it (or at the end of its line) in the source of the
    model or of the base model that declares it."""
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):  # a subclass's comment replaces its base's
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__.split(".")[0] != "pydantic":
            found.update(_class_comments(cls))
    return found


def _class_comments(cls: type) -> dict[str, str]:
    try:
        lines, _ = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return {}
    tree = ast.parse(textwrap.dedent("".join(lines)))
    found: dict[str, str] = {}
    for node in tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        above: list[str] = []
        k = node.lineno - 2  # 0-based index of the line above the field
        while k >= 0 and lines[k].strip().startswith("#"):
            above.insert(0, lines[k].strip().lstrip("#").strip())
            k -= 1
        end_line = lines[(node.end_lineno or node.lineno) - 1]
        inline = end_line.split("  # ", 1)[1].strip() if "  # " in end_line else ""
        text = " ".join(above) or inline
        if text:
            found[node.target.id] = text
    return found


def type_name(annotation: Any) -> str:
    """A field's type as a reader writes it: `int`, `'fp32' | 'int8'`, `Path | None`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " | ".join(repr(v) for v in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return type_name(typing.get_args(annotation)[0])
    if origin is not None:
        args = ", ".join(type_name(a) for a in typing.get_args(annotation))
        return f"{getattr(origin, '__name__', str(origin))}[{args}]"
    if annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation))


def default_text(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return "required"
    else:
        value = info.default
    if isinstance(value, SecretStr):
        return "(a development secret)"
    if isinstance(value, BaseModel):
        return "see below"
    if value is None:
        return "unset"
    if isinstance(value, Path):
        return f"`{value}`"
    return f"`{value!r}`" if isinstance(value, str) else f"`{value}`"


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    """The settings models a field holds: itself, or each member of a union of models (an engine's
    options keyed by `kind`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) is typing.Annotated:
        return nested_models(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in nested_models(a)]
    return []


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def model_sections(model: type[BaseModel], prefix: str, title: str) -> list[Section]:
    """This model's section, then one per nested model, depth first, in field order."""
    out = [Section(prefix, model, title)]
    for name, info in model.model_fields.items():
        members = nested_models(info.annotation)
        for member in members:
            kind = member.model_fields.get("kind")
            which = f" when `kind` is `{kind.default}`" if kind is not None and len(members) > 1 else ""
            out += model_sections(member, f"{prefix}{name.upper()}__", f"`{name}`{which}: {member.__name__}")
    return out


def section_markdown(section: Section) -> str:
    own = section.model.__dict__.get("__doc__")  # not BaseModel's, which every model inherits
    doc = "" if section.model is Settings or not own else inspect.cleandoc(own)
    comments = source_comments(section.model)
    rows = ["| variable | type | default | description |", "|---|---|---|---|"]
    for name, info in section.model.model_fields.items():
        if nested_models(info.annotation) and name != "kind":
            rows.append(f"| `{section.prefix}{name.upper()}__…` | settings | see below | the `{name}` section |")
            continue
        description = info.description or comments.get(name, "")
        rows.append(
            f"| `{section.prefix}{name.upper()}` | {cell(type_name(info.annotation))} | {cell(default_text(info))}"
            f" | {cell(description)} |"
        )
    parts = [f"## {section.title}", ""]
    if doc:
        parts += [" ".join(doc.split()), ""]
    return "\n".join([*parts, *rows])


def render() -> str:
    """The whole of docs/configuration.md."""
    head = [
        "# Configuration",
        "",
        "<!-- Generated by `make docs-config` (python -m bench.config_docs) from intake/settings.py."
        " Do not edit by hand: edit the models and their comments, then regenerate. -->",
        "",
        "Settings are environment variables read once at the edge (the CLI, the service, a flow's entry) by",
        "pydantic-settings and passed down to the stages; no stage reads the environment. Names take the",
        "`INTAKE_` prefix, and a nested setting joins its section and field with `__`",
        "(`INTAKE_OCR__THREADS=1`). A value that does not fit its type stops the command before any work.",
        "",
    ]
    body = [section_markdown(s) for s in model_sections(Settings, "INTAKE_", "Top level: Settings")]
    return "\n".join(head) + "\n" + "\n\n".join(body) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.config_docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = render()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run `make docs-config`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)} {'written' if current != text else 'already current'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
