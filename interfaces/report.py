"""What the CLI prints: the contract's JSON shapes and readable Chinese/English summaries."""

from __future__ import annotations

import unicodedata
from typing import Any

from classifiers.doc_type import PageClass
from intake.catalog import Necessity, ServiceItem
from intake.models import Document, Page
from intake.reasons import MESSAGES, Code
from intake.requests import BatchReport, CaseResult
from interfaces.manifest import RefusedFile

STATUS_ZH = {"complete": "材料齐全", "incomplete": "材料不全", "needs_review": "需人工审核", "rejected": "不予受理"}


def document_json(doc: Document) -> dict[str, Any]:
    return {
        "source": doc.source,
        "pages": doc.pages,
        "doc_type": doc.doc_type.value,
        "side": doc.side.value if doc.side else None,
        "confidence": doc.confidence,
        "is_copy": doc.is_copy,
        "has_seal": doc.has_seal,
        "fields": {
            name: {
                "value": f.value,
                "confidence": f.confidence,
                "page": f.page,
                "bbox": list(f.bbox) if f.bbox else None,
            }
            for name, f in doc.fields.items()
        },
        "checks": [c.model_dump() for c in doc.checks],
        "errors": [e.model_dump(exclude={"document"}) for e in doc.errors],
    }


def case_json(result: CaseResult) -> dict[str, Any]:
    verdict = result.verdict
    return {
        "case_id": result.case.case_id,
        "item": result.item.model_dump(),
        "verdict": verdict.status.value,
        "missing": [m.model_dump() for m in verdict.missing],
        "reasons": [r.model_dump(exclude={"document"}) for r in verdict.reasons],
        "notice": verdict.notice,
        "documents": [document_json(d) for d in result.case.documents],
        "storage": result.storage.model_dump(),
    }


def case_text(result: CaseResult) -> str:
    v = result.verdict
    out = [
        f"案件 case {result.case.case_id}",
        f"事项 item：{result.item.name}（{result.item.region}，{result.item.id}）",
        f"结论 verdict：{v.status.value}（{STATUS_ZH[v.status.value]}）",
    ]
    if v.missing:
        out.append("缺少材料 missing：")
        out += [f"  - {m.material}（{m.detail}）" if m.detail else f"  - {m.material}" for m in v.missing]
    if v.reasons:
        out.append("需核对 reasons：")
        docs = result.case.documents
        for r in v.reasons:
            where = f" ← {docs[r.document].source}" if r.document is not None and r.document < len(docs) else ""
            out.append(f"  - [{r.code}] {r.message}{where}")
    out.append("材料 documents：")
    for n, d in enumerate(result.case.documents, 1):
        side = f"/{d.side.value}" if d.side else ""
        copy = "复印件" if d.is_copy else "原件" if d.is_copy is False else "原件/复印件未定"
        seal = "有印章" if d.has_seal else "无印章"
        pages = ",".join(map(str, d.pages)) or "-"
        out.append(
            f"  {n}. {d.source} 第{pages}页  {d.doc_type.value}{side}  置信度 {d.confidence:.2f}  {copy}  {seal}"
        )
    out.append(f"存储 storage：s3://{result.storage.bucket}/{result.storage.prefix}")
    out.append("一次性告知 notice：")
    out.append(v.notice)
    return "\n".join(out)


def batch_json(report: BatchReport) -> dict[str, Any]:
    return {
        "batch_id": report.batch_id,
        "totals": report.totals,
        "failed": report.failed,
        "cases": [case_json(r) for r in report.cases],
        "storage": report.storage.model_dump(),
    }


def pad(text: str, width: int) -> str:
    """Left-align in a terminal where CJK characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def batch_text(report: BatchReport, endpoint: str) -> str:
    out = [f"批次 batch {report.batch_id}", ""]
    case_w = max([len(r.case.case_id) for r in report.cases] + [len(c) for c in report.failed] + [8]) + 2
    out.append(pad("case", case_w) + pad("item", 38) + pad("verdict", 14) + "missing / reasons")
    for r in report.cases:
        v = r.verdict
        detail = "；".join([f"缺：{m.material}" for m in v.missing] + [f"[{x.code}] {x.message}" for x in v.reasons])
        item = f"{r.item.name}（{r.item.region}）"
        out.append(pad(r.case.case_id, case_w) + pad(item, 38) + pad(v.status.value, 14) + (detail or "-"))
    for case_id, code in report.failed.items():
        out.append(pad(case_id, case_w) + pad("-", 38) + pad("failed", 14) + f"[{code}]")
    t = report.totals
    out += [
        "",
        f"合计 totals：{t['cases']} 件 cases — complete {t['complete']}, incomplete {t['incomplete']}, "
        f"needs_review {t['needs_review']}, rejected {t['rejected']}, failed {t['failed']}; documents {t['documents']}",
        f"对象存储 objects：s3://{report.storage.bucket}/ at {endpoint} — originals/ (by SHA-256), "
        f"cases/<case_id>/ (case.json, verdict.json), {report.storage.prefix}report.json",
    ]
    return "\n".join(out)


def error_row(source: str, code: Code | None) -> dict[str, Any]:
    """A file that gave no page: its code and the clerk's message (None: an unforeseen fault, which
    is `processing_error`; the fault itself is never shown, it may carry document text)."""
    code = code or Code.processing_error
    return {"source": source, "page": None, "error": {"code": code.value, "message": MESSAGES[code]}}


def page_error(page: Page) -> Code | None:
    """The reader's stand-in for a file it could not open (no pixels, the loader's code as its only
    quality issue), or None for a page that was read."""
    if page.width or page.height or not page.quality or not page.quality.issues:
        return None
    return Code(page.quality.issues[0])


def classify_rows(pairs: list[tuple[Page, PageClass]]) -> list[dict[str, Any]]:
    rows = []
    for page, cls in pairs:
        code = page_error(page)
        if code is not None:
            rows.append(error_row(page.source, code))
            continue
        rows.append(
            {
                "source": page.source,
                "page": page.page,
                "doc_type": cls.doc_type.value,
                "side": cls.side.value if cls.side else None,
                "confidence": cls.confidence,
                "unsure": cls.unsure,
                "quality_issues": page.quality.issues if page.quality else [],
                "error": None,
            }
        )
    return rows


def refused_json(refused: list[RefusedFile]) -> list[dict[str, Any]]:
    """Files named as input but never read (links, devices, paths outside the batch)."""
    return [
        {"case_id": r.case_id, "source": r.file, "code": r.code.value, "message": MESSAGES[r.code]} for r in refused
    ]


def refused_text(refused: list[RefusedFile]) -> list[str]:
    if not refused:
        return []
    lines = ["未读取的文件 refused："]
    for r in refused:
        case = f"{r.case_id}：" if r.case_id else ""
        lines.append(f"  - {case}{r.file!r} [{r.code.value}] {MESSAGES[r.code]}")
    return lines


def items_table(items: list[ServiceItem]) -> str:
    lines = [pad("id", 46) + pad("region", 24) + pad("category", 12) + "name"]
    lines += [pad(i.id, 46) + pad(i.region, 24) + pad(i.category, 12) + i.name for i in items]
    lines.append(f"共 {len(items)} 项")
    return "\n".join(lines)


def item_checklist(item: ServiceItem) -> str:
    out = [
        f"{item.name}（{item.region}，{item.id}）",
        f"类别：{item.category}    办理方式：{item.processing_mode or '-'}",
    ]
    if item.conditions:
        out.append(f"受理条件：{item.conditions}")
    out.append("申办材料：" if item.materials else "申办材料：无需提交材料")
    for n, m in enumerate(item.materials, 1):
        accepts = " / ".join(t.value for t in m.accepts)
        extra = [m.form.value] if m.form.value != "不限" else []
        if m.electronic_ok:
            extra.append("可电子")
        if m.seal:
            extra.append(f"须{m.seal.value}")
        if m.min_count > 1:
            extra.append(f"{m.min_count}份")
        when = {
            Necessity.required: "必要",
            Necessity.optional: "非必要",
            Necessity.data_shared: "可数据共享获取",
            Necessity.conditional: (
                f"条件：{m.when.option}{'≠' if m.when.negate else '='}{m.when.equals}" if m.when else "条件"
            ),
        }[m.necessity]
        out.append(f"  [ ] {n}. {m.name}  （{when}；{'，'.join(extra) or '形式不限'}；任一：{accepts}）")
        if m.note:
            out.append(f"       注：{m.note}")
    for p in item.prohibitions:
        out.append(
            f"禁止性要求：{p.text}" + (f"（自动核验：{p.check.value} {p.value}）" if p.check.value != "none" else "")
        )
    if item.consultation:
        out.append(f"咨询：{item.consultation}")
    out.append(f"来源：{item.source.file} {item.source.section}")
    return "\n".join(out)
