"""Fictitious people, hospitals and visits, deterministic by seed. No real personal data: names
are drawn from common characters, ID numbers are built for real region codes with valid GB 11643
check digits and random sequence numbers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from intake.idnumber import check_digit

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉萍文辉鹏飞海燕斌波宇浩凯琳晨欣怡佳慧婷"
    "雪梅瑞琪宁博俊峰亮成林新春立凤云莲荣"
)
ETHNICITIES = ["汉"] * 12 + ["回", "满", "壮", "土家", "苗", "畲"]

# (region code, province, city, district, street stems, police authority)
REGIONS: list[tuple[str, str, str, str, list[str], str]] = [
    ("330106", "浙江省", "杭州市", "西湖区", ["文三路", "天目山路", "古墩路", "教工路"], "杭州市公安局西湖分局"),
    ("330102", "浙江省", "杭州市", "上城区", ["解放路", "清泰街", "望江路"], "杭州市公安局上城分局"),
    ("330110", "浙江省", "杭州市", "余杭区", ["文一西路", "临平大道", "南苑街"], "杭州市公安局余杭分局"),
    ("330203", "浙江省", "宁波市", "海曙区", ["中山西路", "药行街", "灵桥路"], "宁波市公安局海曙分局"),
    ("330302", "浙江省", "温州市", "鹿城区", ["人民路", "府前街", "学院路"], "温州市公安局鹿城分局"),
    ("210402", "辽宁省", "抚顺市", "新抚区", ["东一路", "西四路", "站前街"], "抚顺市公安局新抚分局"),
    ("210411", "辽宁省", "抚顺市", "顺城区", ["临江东路", "新华大街", "河北路"], "抚顺市公安局顺城分局"),
    ("411324", "河南省", "南阳市", "镇平县", ["建设大道", "涅阳路", "中山街"], "镇平县公安局"),
]

HOSPITALS = [
    ("浙江省人民医院", "浙江省"),
    ("杭州市第一人民医院", "浙江省"),
    ("浙江大学医学院附属第二医院", "浙江省"),
    ("宁波市第二医院", "浙江省"),
    ("温州医科大学附属第一医院", "浙江省"),
    ("杭州市中医院", "浙江省"),
    ("抚顺市中心医院", "辽宁省"),
    ("上海市第六人民医院", "上海市"),
]
DEPARTMENTS = ["心血管内科", "呼吸内科", "消化内科", "普外科", "骨科", "神经内科", "泌尿外科", "内分泌科"]
DIAGNOSES = [
    ("社区获得性肺炎", "呼吸内科"),
    ("2型糖尿病", "内分泌科"),
    ("急性阑尾炎", "普外科"),
    ("冠状动脉粥样硬化性心脏病", "心血管内科"),
    ("腰椎间盘突出症", "骨科"),
    ("脑梗死", "神经内科"),
    ("胆囊结石伴慢性胆囊炎", "普外科"),
    ("输尿管结石", "泌尿外科"),
    ("慢性胃炎", "消化内科"),
]
# Diagnoses as oncology and cardiology write them: TNM in parentheses, stages in Roman numerals of
# Latin letters (IIIA: three I's a recogniser may miscount), grades and classes. Generated sets only.
STAGED_DIAGNOSES = [
    ("左乳腺癌（T2N1M0）IIA期", "乳腺外科"),
    ("右肺腺癌（T1bN0M0）IA2期", "胸外科"),
    ("胃窦癌（T3N1M0）IIIA期", "胃肠外科"),
    ("直肠癌术后（pT3N0M0）IIA期", "肿瘤内科"),
    ("宫颈鳞癌IB1期", "妇科"),
    ("鼻咽癌（T2N2M0）III期", "肿瘤内科"),
    ("弥漫大B细胞淋巴瘤IVB期", "血液内科"),
    ("原发性高血压3级（极高危）", "心血管内科"),
    ("冠心病 心功能III级（NYHA）", "心血管内科"),
    ("右肺腺癌（T2aN2M1b）IVA期", "肿瘤内科"),
    ("乙状结肠癌（pT4aN1bM0）IIIB期", "胃肠外科"),
    ("慢性肾脏病5期", "肾内科"),
    ("右股骨颈骨折（Garden IV型）", "骨科"),
    ("2型糖尿病伴周围神经病变", "内分泌科"),
]
INSURANCE_TYPES = ["职工基本医疗保险", "城乡居民基本医疗保险"]

# (name, category, unit, unit price range in yuan)
CHARGE_ITEMS = [
    ("床位费", "床位费", "日", (40, 90)),
    ("一级护理", "护理费", "日", (20, 45)),
    ("血常规", "化验费", "次", (18, 30)),
    ("肝功能常规检查", "化验费", "次", (60, 120)),
    ("肾功能测定", "化验费", "次", (30, 60)),
    ("C反应蛋白测定", "化验费", "次", (20, 40)),
    ("胸部CT平扫", "检查费", "次", (180, 320)),
    ("心电图检查", "检查费", "次", (20, 35)),
    ("彩色多普勒超声", "检查费", "次", (120, 260)),
    ("静脉输液", "治疗费", "次", (6, 15)),
    ("雾化吸入", "治疗费", "次", (10, 20)),
    ("头孢曲松钠注射液", "西药费", "支", (12, 45)),
    ("氯化钠注射液", "西药费", "袋", (3, 8)),
    ("奥美拉唑肠溶胶囊", "西药费", "盒", (15, 40)),
    ("阿托伐他汀钙片", "西药费", "盒", (20, 60)),
    ("连花清瘟胶囊", "中成药费", "盒", (14, 30)),
    ("一次性输液器", "卫生材料费", "套", (2, 6)),
    ("医用留置针", "卫生材料费", "支", (15, 35)),
    ("诊查费", "诊察费", "日", (10, 25)),
]


@dataclass
class Person:
    name: str
    sex: str
    ethnicity: str
    birth: dt.date
    id_number: str
    address: str
    province: str
    city: str
    authority: str
    phone: str
    valid_from: dt.date
    valid_to: dt.date | None  # None: 长期


@dataclass
class ChargeLine:
    name: str
    category: str
    unit: str
    quantity: int
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(Decimal("0.01"))


@dataclass
class Stay:
    hospital: str
    department: str
    diagnosis: str
    admission: dt.date
    discharge: dt.date
    inpatient_number: str
    doctor: str
    bed: str
    insurance_type: str
    lines: list[ChargeLine] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.discharge - self.admission).days

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def make_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def make_person(
    rng: random.Random,
    *,
    region_prefix: str = "",
    min_age: int = 22,
    max_age: int = 80,
    on: dt.date = dt.date(2025, 6, 1),
) -> Person:
    choices = [r for r in REGIONS if r[0].startswith(region_prefix)] or REGIONS
    code, province, city, district, streets, authority = rng.choice(choices)
    age = rng.randint(min_age, max_age)
    birth = years_after(on, -age) - dt.timedelta(days=rng.randint(1, 360))
    sex = rng.choice(["男", "女"])
    seq = rng.randint(0, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if sex == "男" else [0, 2, 4, 6, 8])
    first17 = f"{code}{birth:%Y%m%d}{seq:03d}"
    number = first17 + check_digit(first17)
    address = f"{province}{city}{district}{rng.choice(streets)}{rng.randint(1, 399)}号"
    if rng.random() < 0.6:
        address += f"{rng.randint(1, 30)}幢{rng.randint(1, 6)}单元{rng.randint(101, 1802)}室"
    issued = on - dt.timedelta(days=rng.randint(200, 3400))
    term = 10 if age < 46 else 20 if age < 60 else 0
    valid_to = years_after(issued, term) if term else None
    phone = "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return Person(
        make_name(rng),
        sex,
        rng.choice(ETHNICITIES),
        birth,
        number,
        address,
        province,
        city,
        authority,
        phone,
        issued,
        valid_to,
    )


def make_stay(rng: random.Random, *, province: str = "浙江省", end: dt.date = dt.date(2025, 6, 10)) -> Stay:
    hospitals = [h for h, p in HOSPITALS if p == province] or [h for h, _ in HOSPITALS]
    diagnosis, department = rng.choice(DIAGNOSES)
    days = rng.randint(3, 14)
    discharge = end - dt.timedelta(days=rng.randint(0, 60))
    admission = discharge - dt.timedelta(days=days)
    stay = Stay(
        hospital=rng.choice(hospitals),
        department=department,
        diagnosis=diagnosis,
        admission=admission,
        discharge=discharge,
        inpatient_number=f"{rng.randint(2, 9)}{rng.randint(0, 99999999):08d}"[: rng.choice([7, 8, 9])],
        doctor=make_name(rng),
        bed=f"{rng.randint(1, 60)}",
        insurance_type=rng.choice(INSURANCE_TYPES),
    )
    n_lines = rng.randint(14, 30)
    picks = [rng.choice(CHARGE_ITEMS) for _ in range(n_lines)]
    for name, category, unit, (lo, hi) in picks:
        qty = days if unit == "日" else rng.randint(1, 6)
        price = Decimal(rng.randint(lo * 100, hi * 100)) / 100
        stay.lines.append(ChargeLine(name, category, unit, qty, price))
    return stay


def invoice_split(rng: random.Random, total: Decimal, insurance_type: str) -> dict[str, Decimal]:
    """How a total splits between the fund and the patient, as the 备注 block prints it."""
    share = Decimal(rng.randint(45, 75) if insurance_type.startswith("职工") else rng.randint(35, 60)) / 100
    fund = (total * share).quantize(Decimal("0.01"))
    account = min((total - fund) * Decimal("0.3"), Decimal(rng.randint(0, 800))).quantize(Decimal("0.01"))
    self_expense = (total * Decimal(rng.randint(0, 8)) / 100).quantize(Decimal("0.01"))
    self_paid = total - fund - account - self_expense
    return {
        "medical_insurance_paid": fund,
        "personal_account_paid": account,
        "self_paid": self_paid,
        "self_expense": self_expense,
    }
