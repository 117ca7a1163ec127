"""The service-item catalog: schema and loader.

Items live as YAML under `catalog/items/`, one file per item family, validated here at load.
A policy change in a region is a data change; a typo in a document type or an option name
fails at load, not at run time.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from intake.models import DocType

CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalog" / "items"


class MaterialForm(StrEnum):
    original = "原件"
    copy = "复印件"
    original_or_copy = "原件或复印件"
    original_and_copy = "原件和复印件"
    any = "不限"


class Necessity(StrEnum):
    required = "required"  # 必要
    conditional = "conditional"  # required when `when` holds
    optional = "optional"  # 非必要 / 必要时 / 容缺: listed, never missing
    data_shared = "data_shared"  # 可通过数据共享获取: not required, noted


class Condition(BaseModel):
    """A case option that switches a material or prohibition on.

    `agent` is the CLI's --agent flag; other keys come from --option KEY=VALUE.
    """

    model_config = ConfigDict(extra="forbid")

    option: str
    equals: str = "true"
    negate: bool = False

    def holds(self, options: dict[str, str]) -> bool:
        result = options.get(self.option, "false") == self.equals
        return not result if self.negate else result


class SealKind(StrEnum):
    unit = "单位公章"
    hospital = "医院盖章"
    hospital_charge = "医院收费章"
    any = "印章"


class Material(BaseModel):
    """One line of 申办材料: what satisfies it, in what form, with what seal, when."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str  # the seed's own wording
    accepts: list[DocType]  # any one of these document types satisfies it (任取其一)
    necessity: Necessity = Necessity.required
    when: Condition | None = None
    form: MaterialForm = MaterialForm.any
    electronic_ok: bool = False  # 含电子票据 / 纸质、电子
    seal: SealKind | None = None
    min_count: int = 1  # e.g. both parties' ID cards when an agent applies
    distinct_people: bool = False  # min_count counts different ID numbers, not pages
    note: str = ""

    @model_validator(mode="after")
    def _conditional_has_condition(self) -> Material:
        if (self.necessity is Necessity.conditional) != (self.when is not None):
            raise ValueError(f"material {self.id}: `when` goes with necessity=conditional only")
        return self

    def applies(self, options: dict[str, str]) -> bool:
        if self.necessity is Necessity.required:
            return True
        if self.necessity is Necessity.conditional and self.when is not None:
            return self.when.holds(options)
        return False


class ProhibitionCheck(StrEnum):
    none = "none"  # stated in the seed; no document can reveal it
    min_age = "min_age"  # applicant younger than `value` years on the case date
    max_age = "max_age"
    household_outside = "household_outside"  # ID address not within `value` (comma list)


class Prohibition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str  # the rule text from 禁止性要求
    check: ProhibitionCheck = ProhibitionCheck.none
    value: str = ""
    when: Condition | None = None


class OptionDef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    label: str  # Chinese, shown in `intake items show`


class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    section: str


class ServiceItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    aliases: list[str] = Field(default_factory=list)  # other names the seed itself uses (e.g. its 事项名称 cell)
    region: str  # e.g. 浙江省, 杭州经济技术开发区, 杭州市, 河南省镇平县, 辽宁省抚顺市
    issuer: str
    category: str  # 公共服务 / 行政确认 / 行政给付 / 医疗管理类 / 零星报销类 …
    applicant: str = ""
    conditions: str = ""
    materials: list[Material] = Field(default_factory=list)
    prohibitions: list[Prohibition] = Field(default_factory=list)
    options: list[OptionDef] = Field(default_factory=list)
    processing_mode: str = ""
    time_limit_statutory: str = ""
    time_limit_promised: str = ""
    consultation: str = ""
    source: SourceRef
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _options_declared(self) -> ServiceItem:
        declared = {o.key for o in self.options} | {"agent"}
        used = {m.when.option for m in self.materials if m.when}
        used |= {p.when.option for p in self.prohibitions if p.when}
        unknown = used - declared
        if unknown:
            raise ValueError(f"item {self.id}: undeclared options {sorted(unknown)}")
        ids = [m.id for m in self.materials]
        if len(ids) != len(set(ids)):
            raise ValueError(f"item {self.id}: duplicate material ids")
        return self


class CatalogFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    family: str
    items: list[ServiceItem]


class UnknownItem(LookupError):
    pass


class Catalog:
    def __init__(self, items: list[ServiceItem], default_region: str = "浙江省") -> None:
        self.items = items
        self.default_region = default_region
        ids = [i.id for i in items]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate item ids: {sorted(dupes)}")

    @classmethod
    def load(cls, folder: Path = CATALOG_DIR) -> Catalog:
        items: list[ServiceItem] = []
        for path in sorted(folder.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            try:
                items.extend(CatalogFile.model_validate(data).items)
            except ValueError as exc:
                raise ValueError(f"{path.name}: {exc}") from exc
        return cls(items)

    def regions(self) -> list[str]:
        return sorted({i.region for i in self.items})

    def find(self, key: str, region: str | None = None) -> ServiceItem:
        """By ASCII id, or by Chinese name; several regions with one name → `region` or the default."""
        for item in self.items:
            if item.id == key:
                return item
        named = [i for i in self.items if i.name == key or key in i.aliases]
        if region:
            named = [i for i in named if i.region == region or region in i.region]
        if not named:
            where = f"（地区：{region}）" if region else ""
            raise UnknownItem(f"未知的办理事项：{key}{where}")
        if len(named) == 1:
            return named[0]
        preferred = [i for i in named if i.region == self.default_region]
        if preferred:
            return preferred[0]
        regions = "、".join(i.region for i in named)
        raise UnknownItem(f"事项「{key}」在多个地区存在（{regions}），请用 --region 指定")


@cache
def default_catalog() -> Catalog:
    return Catalog.load()
