"""The one-time notice (一次性告知): everything to bring or fix, told once, in the seed's wording."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from intake.catalog import Material, ServiceItem
from intake.models import MissingMaterial, Reason, VerdictStatus


class Defects(Protocol):
    @property
    def material(self) -> Material: ...
    @property
    def copy_only(self) -> bool: ...
    @property
    def seal_missing(self) -> bool: ...


def one_time_notice(
    item: ServiceItem,
    status: VerdictStatus,
    missing: list[MissingMaterial],
    statuses: Sequence[Defects],
    prohibitions: list[Reason],
    unusable_files: Sequence[tuple[str, str]] = (),
) -> str:
    """`unusable_files`: (file name, reason message) for files that could not be used as submitted
    (blurred, empty, encrypted …): the applicant must send them again."""
    title = f"您申请办理的「{item.name}」（{item.region}）"
    if status is VerdictStatus.rejected:
        rules = "；".join(r.message.split("：", 1)[-1] for r in prohibitions)
        return f"{title}不符合办理条件：{rules}。"
    lines: list[str] = []
    for m in missing:
        lines.append(f"{m.material}（{m.detail}）" if m.detail else m.material)
    for name, message in unusable_files:
        lines.append(f"文件「{name}」：{message}")
    for s in statuses:
        if s.copy_only:
            lines.append(f"{s.material.name}：提交的是复印件，请提交原件")
        if s.seal_missing:
            lines.append(f"{s.material.name}：缺少{s.material.seal}，请加盖后提交")
    if not lines:
        if status is VerdictStatus.complete:
            return f"{title}材料齐全。"
        return f"{title}材料已收到，部分内容需工作人员核对，核对结果将另行告知。"
    body = "\n".join(f"{n}. {text}" for n, text in enumerate(lines, 1))
    consult = f"\n咨询方式：{item.consultation}" if item.consultation else ""
    return f"{title}尚需补齐或更正以下材料，请一次性备齐后提交：\n{body}{consult}"
