"""Self-checks: a document's fields checked against each other. A check is produced only when the
fields it needs were read; a missing field is reported elsewhere, not here."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from extractors.normalize import edit_distance, parse_upper_amount, to_halfwidth
from intake import idnumber
from intake.models import Check, ExtractedField
from intake.reasons import Code, check

Fields = dict[str, ExtractedField]
TOLERANCE = Decimal("0.01")


# Which fields each self-check covers: a failed check flags exactly these.
CHECK_FIELDS: dict[Code, list[str]] = {
    Code.id_check_digit: ["id_number"],
    Code.id_legacy_15: ["id_number"],
    Code.id_birth_date: ["id_number", "birth_date"],
    Code.id_sex: ["id_number", "sex"],
    Code.id_valid_on_case_date: ["valid_from", "valid_to"],
    Code.amount_upper_matches: ["total_amount", "total_amount_upper"],
    Code.invoice_splits_sum: [
        "total_amount",
        "medical_insurance_paid",
        "personal_account_paid",
        "self_paid",
        "self_expense",
    ],
    Code.expense_items_sum: ["items", "total_amount"],
    Code.discharge_after_admission: ["admission_date", "discharge_date"],
    Code.days_in_hospital: ["days_in_hospital", "admission_date", "discharge_date"],
    Code.payee_matches_seal: ["payee"],
}
# Checks that one misread character in any of their fields would fail (a check digit; readings that must
# agree exactly): passing, they bear their fields out. Not the date-range checks: a misread date often
# still lies in range.
CORROBORATING = {
    Code.id_check_digit,
    Code.id_birth_date,
    Code.id_sex,
    Code.amount_upper_matches,
    Code.invoice_splits_sum,
    Code.expense_items_sum,
    Code.days_in_hospital,
    Code.payee_matches_seal,
}


def _check(code: Code, ok: bool, detail: str = "") -> Check:
    return check(code, ok, detail, CHECK_FIELDS[code])


def _text(fields: Fields, name: str) -> str | None:
    found = fields.get(name)
    return str(found.value) if found is not None and found.value not in (None, "") else None


def _decimal(fields: Fields, name: str) -> Decimal | None:
    value = _text(fields, name)
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _date(fields: Fields, name: str) -> dt.date | None:
    value = _text(fields, name)
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def id_card_checks(fields: Fields, case_date: dt.date) -> list[Check]:
    out: list[Check] = []
    number = _text(fields, "id_number")
    if number is not None:
        valid = idnumber.is_valid(number)
        out.append(_check(Code.id_check_digit, valid))
        born = _date(fields, "birth_date")
        if valid and born is not None:
            out.append(_check(Code.id_birth_date, idnumber.birth_date(number) == born))
        printed_sex = _text(fields, "sex")
        if valid and printed_sex in ("男", "女"):
            out.append(_check(Code.id_sex, idnumber.sex(number) == printed_sex))
    valid_from = _date(fields, "valid_from")
    valid_to_text = _text(fields, "valid_to")
    if valid_from is not None and valid_to_text is not None:
        valid_to = None if valid_to_text == "长期" else _date(fields, "valid_to")
        ok = valid_from <= case_date and (valid_to is None or case_date <= valid_to)
        out.append(_check(Code.id_valid_on_case_date, ok, f"办理日期 {case_date}"))
    return out


def dates_not_after(fields: Fields, names: list[str], case_date: dt.date) -> list[Check]:
    """A failed check for each of the dates `names` that lies after the day the case is handled: what a
    bill, a record or a list dates (its issue, the stay) has happened by the day it is handed in, so such
    a date is misread (a month's 6 read as 8, a year's 5 as 6), and it is flagged for a clerk, however sure
    its reading. The dates a document may set ahead (a filing's start, a card's end of validity) are not
    among `names` (`FieldRule.may_follow_case`)."""
    return [
        check(Code.date_after_case_date, False, f"办理日期 {case_date}", [name])
        for name in names
        if (day := _date(fields, name)) is not None and day > case_date
    ]


INVOICE_SPLITS = ("medical_insurance_paid", "personal_account_paid", "self_paid", "self_expense")


def invoice_checks(fields: Fields) -> list[Check]:
    """大写 = 小写, and the splits (统筹 + 个人账户 + 自付 + 自费) = the total. The splits are not checked when
    every one reads zero and the total does not: the bill then prints no split of its total at all (a
    self-paying patient's 合计 is all 个人现金支付, or the payment went to a fund none of the four names,
    其他医保支付), its 0.00s are blanks, and the sum says nothing of any reading; the total is still checked
    against its 大写. A split misread as zero beside others that are not still fails the check; what is not
    caught is a bill whose one non-zero split is misread as zero, all four then reading blank.

    Where two or more splits are read and the others are not (a seal over the 支付信息 hid a label, a
    carbon copy garbled one), the bill prints a split of its total: when the splits read do not sum to the
    total, a split is missing or misread, and the check fails, naming them all for a clerk, rather than the
    gap passing unseen. A bill printing its cash part (个人现金支付, 现金支付) in place of the splits it does not
    print is whole when the splits read and the cash make the total; a bill splitting part of its total
    into a fund none of these names fails it: a clerk then sees a right bill, never a wrong one passed."""
    out: list[Check] = _upper_matches(fields) + stay_in_order(fields, "admission_date", "discharge_date")
    total = _decimal(fields, "total_amount")
    splits = [_decimal(fields, n) for n in INVOICE_SPLITS]
    read = [s for s in splits if s is not None]
    printed_blank = all(s == 0 for s in read) and total != 0
    if total is None and PARTIAL_SPLITS <= len(read) < len(splits) and not printed_blank:
        # No total read: nothing checks the splits, and one not read beside others read may be printed and
        # lost (a seal over its label): a clerk, who looks at the bill for its total, is told of it.
        unread = [name for name, split in zip(INVOICE_SPLITS, splits, strict=True) if split is None]
        out.append(check(Code.field_unread, False, detail="个人自付/自费", fields=unread))
    if total is None or printed_blank:
        return out
    summed = sum(read, Decimal(0))
    if len(read) == len(splits):
        ok = abs(summed - total) <= TOLERANCE
        named = [*CHECK_FIELDS[Code.invoice_splits_sum], *(_cash_agreeing(fields, total) if ok else [])]
        out.append(check(Code.invoice_splits_sum, ok, f"{summed} / {total}", named))
    elif len(read) >= PARTIAL_SPLITS and abs(summed - total) > TOLERANCE:
        cash = _decimal(fields, "cash_paid")
        if cash is not None and abs(summed + cash - total) <= TOLERANCE:
            return out
        out.append(_check(Code.invoice_splits_sum, False, f"{summed} / {total}"))
    return out


def _cash_agreeing(fields: Fields, total: Decimal) -> list[str]:
    """["cash_paid"] when the cash part read (个人现金支付) is what the funds leave the patient to pay in cash:
    the total less the 统筹 fund's and the personal account's parts (on a bill whose four splits sum to its
    total, the same as 自付 + 自费). Read in its own cell, it then agrees with four other readings within the
    splits check's own tolerance, which one misread digit would break, so the passing splits check bears it
    out too. A cash part that differs (another fund paid part, or a misreading) is left as read: no check
    fails, its own reading decides how sure it is."""
    cash = _decimal(fields, "cash_paid")
    fund = _decimal(fields, "medical_insurance_paid")
    account = _decimal(fields, "personal_account_paid")
    if cash is None or fund is None or account is None:
        return []
    return ["cash_paid"] if abs(total - fund - account - cash) <= TOLERANCE else []


# Splits read, of the four, for a bill to count as printing its split when the others are not read.
PARTIAL_SPLITS = 2


# A payee shorter than this is too short to tell a near-match in a seal's text from chance.
MIN_SEAL_NAME = 5
# What a seal says after its unit's name: 收费专用章, 电子票据专用章 (its centre line, or run on in its ring).
SEAL_PURPOSE = re.compile(r"[\u4e00-\u9fa5]{0,4}专用章$")


def payee_seal_checks(fields: Fields, seal_texts: list[str]) -> list[Check]:
    """The payee (收款单位（盖章）) against the unit name its own seal carries, read separately from the
    seal's ring (a seal's text: its ring, then its centre line). The seal's name equal to the payee bears
    it out. It fails when one character is read differently, or when the seal's name holds the payee and
    more: the payee's line lost a character (杭州市中医 under a seal reading 杭州市中医院, a photographed
    invoice of the tuning set; taken as a match before). One of the two readings is wrong, a clerk
    decides which. Anything else says nothing either way: another seal, a garbled ring, and a seal's
    name a character short, since reading a ring often loses one where the lettering meets (eval:
    浙江大学医学院附属第二院 for 第二医院)."""
    payee = _text(fields, "payee")
    if payee is None or len(payee) < MIN_SEAL_NAME:
        return []
    names = [SEAL_PURPOSE.sub("", part) for text in seal_texts for part in text.split()]
    if payee in names:
        return [_check(Code.payee_matches_seal, True)]
    if any(payee in name or _fewest_differences(payee, name) == 1 for name in names if len(name) >= len(payee)):
        return [_check(Code.payee_matches_seal, False)]
    return []


def _fewest_differences(word: str, text: str) -> int | None:
    """Fewest characters in which `word` differs from a stretch of `text` as long as it (None: text
    shorter)."""
    starts = range(len(text) - len(word) + 1)
    return min((sum(a != b for a, b in zip(word, text[i:], strict=False)) for i in starts), default=None)


def _item_amounts(fields: Fields) -> tuple[list[Decimal], list[int]]:
    """An expense list's item amounts, and the rows whose quantity × unit price is not their amount."""
    items_field = fields.get("items")
    items = items_field.value if items_field is not None and isinstance(items_field.value, list) else []
    amounts: list[Decimal] = []
    bad_rows: list[int] = []
    for row, item in enumerate(items, 1):
        try:
            amount = Decimal(item["amount"])
        except (KeyError, InvalidOperation):
            continue
        amounts.append(amount)
        try:
            quantity, price = Decimal(item["quantity"]), Decimal(item["unit_price"])
        except (KeyError, InvalidOperation):
            continue
        # Unit prices are often printed to 4 places and rounded per row: allow a cent per row.
        if abs(quantity * price - amount) > TOLERANCE:
            bad_rows.append(row)
    return amounts, bad_rows


def _upper_matches(fields: Fields) -> list[Check]:
    """The total in words (大写) read as an amount equals the total in figures: one misread digit of either
    fails it."""
    total = _decimal(fields, "total_amount")
    upper = _text(fields, "total_amount_upper")
    if total is None or upper is None:
        return []
    parsed = parse_upper_amount(upper)
    return [_check(Code.amount_upper_matches, parsed == total, f"大写 {parsed}，小写 {total}")]


def expense_list_checks(fields: Fields) -> list[Check]:
    """The items add up to the total (each row's quantity × unit price its amount); the total in words,
    where the list prints one (费用总额 … 大写 …), is the total. With no total read, nothing bears the rows
    out: the check fails, naming any row whose own product disagrees."""
    out: list[Check] = _upper_matches(fields) + stay_in_order(fields, "period_start", "period_end")
    total = _decimal(fields, "total_amount")
    amounts, bad_rows = _item_amounts(fields)
    if total is not None and amounts:
        summed = sum(amounts, Decimal(0))
        detail = f"明细合计 {summed}，清单合计 {total}"
        if bad_rows:
            detail += f"；数量×单价不符的行：{', '.join(map(str, bad_rows))}"
        out.append(_check(Code.expense_items_sum, abs(summed - total) <= TOLERANCE and not bad_rows, detail))
    elif amounts:
        # No total read (a list's part without its foot, a page of it lost, or a total written by hand and not
        # read): nothing bears out that the rows are all the list's and each read right, so they are not
        # passed as sure. A row whose figures disagree is named: it holds a misread figure whatever the total.
        detail = "未识别出清单合计，明细无从核对"
        if bad_rows:
            detail += f"；数量×单价不符的行：{', '.join(map(str, bad_rows))}"
        out.append(_check(Code.expense_items_sum, False, detail))
    return out


# Stages and classes written in Roman numerals, where the recogniser miscounts strokes (IIIA read IA).
_NUMERAL_RUN = re.compile(r"[IVX]+")


def stages_differ(admission: str, discharge: str) -> bool:
    """The two diagnoses read the same but for their Roman numerals (胃窦癌(T3N1M0)IIIA期 / …IIA期; one
    printed 心功能III级 read 心功能级): one stage at least is misread, or the staging changed in between. A
    clerk looks at both; nothing says which."""
    return admission != discharge and _NUMERAL_RUN.sub("", admission) == _NUMERAL_RUN.sub("", discharge)


# Diagnoses shorter than this are not compared: two short words share characters too often (肺炎, 肺癌).
ALIKE_MIN = 4


def read_alike(admission: str, discharge: str) -> bool:
    """The two principal diagnoses read almost the same: at least ALIKE_MIN characters, and one character
    in three at most changed, dropped or added between them (胆囊结石伴慢性胆囊炎 / 胆量结石伴慢性胆量炎). A record's
    principal diagnosis is most often the same at both ends of a stay, and two different diagnoses seldom
    lie so close: one reading at least is misread, and nothing says which, so a clerk reads both. A diagnosis
    that did change that little (急性 to 慢性) is looked at once more, never taken wrong."""
    if admission == discharge or min(len(admission), len(discharge)) < ALIKE_MIN:
        return False
    return edit_distance(admission, discharge) <= max(1, min(len(admission), len(discharge)) // 3)


# An inpatient number is the hospital's key of the stay: digits, after a short letter prefix at most (ZY, BA).
INPATIENT_PREFIX_MAX = 4
INPATIENT_DIGITS_MIN = 4
INPATIENT_LENGTH_MAX = 14
_INPATIENT_SHAPE = re.compile(rf"[A-Za-z]{{0,{INPATIENT_PREFIX_MAX}}}\d{{{INPATIENT_DIGITS_MIN},}}[A-Za-z]?")
# A mobile number (11 digits, 13x-19x): the patient's or a relative's phone, not a record's key.
_MOBILE = re.compile(r"1[3-9]\d{9}")


def inpatient_number_shaped(value: str, dates: list[dt.date]) -> bool:
    """Whether a value read as a record's inpatient number (住院号, 病案号) has its shape: digits (at least
    INPATIENT_DIGITS_MIN), after a letter prefix of a few letters at most (ZY0012345) and before one check
    letter, no longer than INPATIENT_LENGTH_MAX; and is none of the other numbers a record prints near it: a
    mobile number, a date of the stay written without separators (20250603, 250603), an ID number (longer). A word
    (Inpatient, a label's English read as its value) or any of those is no inpatient number as read, and
    nothing else on a record bears the number out: False sends it to a clerk."""
    plain = to_halfwidth(value).replace(" ", "")
    if len(plain) > INPATIENT_LENGTH_MAX or not _INPATIENT_SHAPE.fullmatch(plain):
        return False
    written = {day.strftime(form) for day in dates for form in ("%Y%m%d", "%y%m%d")}
    return not _MOBILE.fullmatch(plain) and plain not in written


# Latin words run together in a line's text (AdmittingDiagnosis: spaces are dropped from a line), or a word
# ending at a colon (Diagnosis:, No.:): a label's English, not a diagnosis's words. An eponym (Graves病,
# Crohn病) is one word, an abbreviation (COPD, IgA肾病, HbA1c, BMI:32) no run of small letters.
_ENGLISH_PHRASE = re.compile(r"[A-Z][a-z]{2,}[A-Z][a-z]{2,}|[A-Za-z]?[a-z]{2,}\.?[:：]")


# A label this short may be a disease's word too (年龄 in 年龄相关性黄斑变性): not looked for in a diagnosis.
LABEL_IN_DIAGNOSIS_MIN = 3


def diagnosis_holds_label(value: str, labels: list[str]) -> bool:
    """Whether a diagnosis as read holds a label of its record (出院诊断, 住院号: `labels`, those of
    LABEL_IN_DIAGNOSIS_MIN characters or more) or English words of a label (Discharge Diagnosis): a diagnosis
    names a disease, never a field, so its value ran into the label beside or after it, or the label's
    translation was read as the diagnosis. What the diagnosis is then is not known for sure: a clerk reads
    it."""
    plain = to_halfwidth(value).replace(" ", "")
    if _ENGLISH_PHRASE.search(plain) is not None:
        return True
    return any(label in plain for label in labels if len(label) >= LABEL_IN_DIAGNOSIS_MIN)


_DIAGNOSES = ("admission_diagnosis", "discharge_diagnosis", "admission_diagnoses", "discharge_diagnoses")


def misshapen_record_values(fields: Fields, labels: list[str]) -> list[str]:
    """The fields of a discharge record read in a shape their values never have: an inpatient number that
    is none (`inpatient_number_shaped`, against the stay's dates as read), a diagnosis holding a label
    (`diagnosis_holds_label`, `labels` the record's). Nothing else on a record bears either out, so a value
    of the wrong shape was misread or read from the wrong text."""
    dates = [day for day in (_date(fields, "admission_date"), _date(fields, "discharge_date")) if day is not None]
    number = _text(fields, "inpatient_number")
    out = [] if number is None or inpatient_number_shaped(number, dates) else ["inpatient_number"]
    return out + [
        name for name in _DIAGNOSES if (text := _text(fields, name)) is not None and diagnosis_holds_label(text, labels)
    ]


def discharge_checks(fields: Fields) -> list[Check]:
    out: list[Check] = []
    # The principal diagnoses, then the whole lists they open: a numeral misread in a principal is misread
    # in its list too, one in a later item only in the lists.
    pairs = [("admission_diagnosis", "discharge_diagnosis"), ("admission_diagnoses", "discharge_diagnoses")]
    differ = [
        a is not None and d is not None and stages_differ(a, d)
        for a, d in ((_text(fields, a), _text(fields, d)) for a, d in pairs)
    ]
    named = [name for pair in pairs[0 if differ[0] else 1 :] for name in pair if name in fields]
    if any(differ) and named:
        out.append(check(Code.diagnosis_stages_agree, False, fields=named))
    admission, discharge = _text(fields, "admission_diagnosis"), _text(fields, "discharge_diagnosis")
    if not any(differ) and admission is not None and discharge is not None and read_alike(admission, discharge):
        alike = [
            name
            for name, value in (("admission_diagnoses", admission), ("discharge_diagnoses", discharge))
            if _text(fields, name) == value
        ]
        out.append(
            check(Code.diagnoses_read_alike, False, fields=["admission_diagnosis", "discharge_diagnosis", *alike])
        )
    admitted, discharged = _date(fields, "admission_date"), _date(fields, "discharge_date")
    if admitted is None or discharged is None:
        return out
    out.append(_check(Code.discharge_after_admission, discharged >= admitted))
    days = _text(fields, "days_in_hospital")
    if days is not None and days.isdigit():
        span = (discharged - admitted).days
        ok = stay_days_agree(admitted.isoformat(), discharged.isoformat(), days)
        out.append(_check(Code.days_in_hospital, ok, f"{days} 天 / {span} 天"))
    return out


def stay_days_agree(admission: str, discharge: str, days: str) -> bool:
    """Whether a stay's days in hospital agree with its dates (ISO): hospitals count either nights
    (discharge − admission) or calendar days (+1). False for a value that is no date or no count."""
    try:
        span = (dt.date.fromisoformat(discharge) - dt.date.fromisoformat(admission)).days
    except ValueError:
        return False
    return days.isdigit() and int(days) in (span, span + 1)


def stay_in_order(fields: Fields, first: str, last: str) -> list[Check]:
    """A bill's or a list's stay as two dates (入院 and 出院, a list's period): the last not before the first.
    A stay never ends before it begins, so dates read the other way round are misread (a month's 5 read as
    6), or are the two ends of the range taken for each other; a clerk is told, naming both. Nothing when
    either was not read (a missing date is reported elsewhere)."""
    start, end = _date(fields, first), _date(fields, last)
    if start is None or end is None:
        return []
    return [check(Code.discharge_after_admission, end >= start, f"{start} / {end}", [first, last])]


def repeated_run_dropped(fields: Fields) -> ExtractedField | None:
    """An expense list's rows with a band of them read twice, once: a list too long for one photograph is
    shot in two overlapping parts (or scanned in two, or its pages overlap where they were joined), and the
    rows where the parts overlap stand twice, one run of rows straight after the same run. A run is the
    same as the next when each row has the same amount and, where both readings hold them, the same count
    and the same name (a row cut at a shot's edge loses its name or its price, not its amount). Dropped
    only where the total vouches: the rows as read exceed the list's total by exactly the run's amounts,
    and one such run alone does. A list may charge the same item on consecutive rows, but then its rows add
    up to its total as read. Of each pair of rows the fuller reading is kept. None when nothing is certain."""
    found = fields.get("items")
    total = _decimal(fields, "total_amount")
    if found is None or total is None or not isinstance(found.value, list):
        return None
    items = found.value
    amounts = [_amount_of(item) for item in items]
    if any(amount is None for amount in amounts):
        return None
    excess = sum((a for a in amounts if a is not None), Decimal(0)) - total
    if excess <= TOLERANCE:
        return None
    runs = [
        (start, size)
        for size in range(1, len(items) // 2 + 1)
        for start in range(len(items) - 2 * size + 1)
        if all(_same_row(items[start + k], items[start + size + k]) for k in range(size))
        and abs(sum((a for a in amounts[start : start + size] if a is not None), Decimal(0)) - excess) <= TOLERANCE
    ]
    if len(runs) != 1:
        return None
    start, size = runs[0]
    kept = [_fuller(items[start + k], items[start + size + k]) for k in range(size)]
    return as_repaired(found, [*items[:start], *kept, *items[start + 2 * size :]])


def _amount_of(item: dict[str, str]) -> Decimal | None:
    try:
        return Decimal(item["amount"])
    except (KeyError, InvalidOperation):
        return None


def _same_row(a: dict[str, str], b: dict[str, str]) -> bool:
    """Two readings of one printed row: the same amount; the same count and name where both hold one."""
    if _amount_of(a) != _amount_of(b):
        return False
    return all(not (a.get(key) and b.get(key) and a[key] != b[key]) for key in ("quantity", "name"))


def _fuller(a: dict[str, str], b: dict[str, str]) -> dict[str, str]:
    """Of two readings of one row, the one holding more of its cells (the first on a tie)."""

    def held(item: dict[str, str]) -> tuple[int, int]:
        return sum(1 for v in item.values() if v), sum(len(v) for v in item.values())

    return b if held(b) > held(a) else a


# A repaired value is trusted this share of its reading's confidence.
REPAIRED_FACTOR = 0.9


def as_repaired(found: ExtractedField, value: str | list[dict[str, str]]) -> ExtractedField:
    return found.model_copy(
        update={"value": value, "repaired": True, "confidence": round(found.confidence * REPAIRED_FACTOR, 4)}
    )


def repair_total(fields: Fields) -> ExtractedField | None:
    """An invoice's 小写 total whose reading lost or moved its decimal point (903761 for 9037.61), put
    right when the 大写 total reads as the same digits and, where the splits are printed, they add up
    to it: two readings agree on the amount and the third differs only in where its point is. None when
    there is nothing certain to repair."""
    found = fields.get("total_amount")
    total = _decimal(fields, "total_amount")
    upper = _text(fields, "total_amount_upper")
    if found is None or total is None or upper is None:
        return None
    parsed = parse_upper_amount(upper)
    if parsed is None or not _only_point_differs(found, total, parsed):
        return None
    splits = [_decimal(fields, n) for n in INVOICE_SPLITS]
    if all(split is not None for split in splits) and abs(sum(s for s in splits if s is not None) - parsed) > TOLERANCE:
        return None
    return as_repaired(found, f"{parsed:.2f}")


def repair_split(fields: Fields) -> tuple[str, ExtractedField] | None:
    """One of an invoice's splits (统筹, 个人账户, 自付, 自费) whose reading lost or moved its decimal point
    (189390 for 1893.90), put right when the total is borne out by its 大写 and the split's digits are
    exactly what the total less the other splits leaves: only one split can be so. Returns the split's
    name and its repaired field; None when there is nothing certain to repair."""
    total = _total_borne_out(fields)
    splits = _splits_read(fields)
    if total is None or len(splits) < len(INVOICE_SPLITS):
        return None
    summed = sum(splits.values(), Decimal(0))
    if abs(summed - total) <= TOLERANCE:
        return None
    candidates = []
    for name, value in splits.items():
        rest = total - summed + value
        if rest >= 0 and _only_point_differs(fields[name], value, rest):
            candidates.append((name, as_repaired(fields[name], f"{rest:.2f}")))
    return candidates[0] if len(candidates) == 1 else None


def missing_split(fields: Fields) -> tuple[str, Decimal] | None:
    """The one invoice split not read, and what it must be: the total, borne out by its 大写, less the
    splits read. None unless exactly one is missing and that leaves zero or more."""
    unread = _splits_unread(fields)
    if unread is None:
        return None
    missing, rest = unread
    return (missing[0], rest) if len(missing) == 1 and rest >= 0 else None


def unread_splits(fields: Fields) -> tuple[list[str], Decimal] | None:
    """The invoice splits not read where two or more are not, and what they must sum to: the total, borne
    out by its 大写, less the splits read. None otherwise (one missing split is `missing_split`'s)."""
    unread = _splits_unread(fields)
    if unread is None:
        return None
    missing, rest = unread
    return (missing, rest) if len(missing) >= PARTIAL_SPLITS and rest > 0 else None


def _splits_unread(fields: Fields) -> tuple[list[str], Decimal] | None:
    """The invoice splits not read and the total, borne out by its 大写, less the splits read; None where
    the total is not borne out."""
    total = _total_borne_out(fields)
    if total is None:
        return None
    read = _splits_read(fields)
    return [name for name in INVOICE_SPLITS if name not in read], total - sum(read.values(), Decimal(0))


def _total_borne_out(fields: Fields) -> Decimal | None:
    """The invoice's 小写 total where its 大写 reads the same amount, else None."""
    total = _decimal(fields, "total_amount")
    upper = _text(fields, "total_amount_upper")
    return total if total is not None and upper is not None and parse_upper_amount(upper) == total else None


def _splits_read(fields: Fields) -> dict[str, Decimal]:
    return {name: value for name in INVOICE_SPLITS if (value := _decimal(fields, name)) is not None}


def repair_items(fields: Fields) -> ExtractedField | None:
    """An expense list's rows whose unit price or amount lost or moved its decimal point (2590.00 for
    25.90), where quantity × unit price is not the amount. Price and amount misread by the same factor
    fit a row alike, so the list's total decides: when the amounts as read add up to it, they stand and
    a row's price is the amount ÷ quantity (to the cent) if that has the price's digits (trailing zeros
    aside: the point was lost with them); otherwise rows' amounts become quantity × price where that
    has the amount's digits, if then they add up to the total. None when nothing is certain."""
    found = fields.get("items")
    total = _decimal(fields, "total_amount")
    if found is None or total is None or not isinstance(found.value, list):
        return None
    items = [dict(item) for item in found.value]
    amounts = _item_amounts(fields)[0]
    amounts_stand = abs(sum(amounts, Decimal(0)) - total) <= TOLERANCE
    changed = False
    for item in items:
        try:
            quantity, price, amount = (Decimal(item[k]) for k in ("quantity", "unit_price", "amount"))
        except (KeyError, InvalidOperation):
            continue
        if quantity <= 0 or abs(quantity * price - amount) <= TOLERANCE:
            continue
        key, read, value = (
            ("unit_price", price, amount / quantity) if amounts_stand else ("amount", amount, quantity * price)
        )
        if value == value.quantize(TOLERANCE) and _significant(read) == _significant(value):
            item[key] = f"{value:.2f}"
            changed = True
    if not changed:
        return None
    repaired = as_repaired(found, items)
    if not amounts_stand and abs(sum(_item_amounts({"items": repaired})[0], Decimal(0)) - total) > TOLERANCE:
        return None
    return repaired


def _significant(value: Decimal) -> str:
    """A value's digits without its point and the zeros either side (25.90 and 2590.00: 259)."""
    return _digits(f"{value:.2f}").rstrip("0")


def items_sum(fields: Fields) -> Decimal | None:
    """The sum of an expense list's item amounts when every row bears itself out (quantity × unit price
    is its amount); None otherwise: a sum of rows read doubtfully chooses nothing."""
    amounts, bad_rows = _item_amounts(fields)
    return sum(amounts, Decimal(0)) if amounts and not bad_rows else None


def list_total(fields: Fields) -> Decimal | None:
    """What an expense list's total must be: its items' sum, each row borne out, else its total in words."""
    summed = items_sum(fields)
    return summed if summed is not None else upper_total(fields)


def invoice_total(fields: Fields) -> Decimal | None:
    """What an invoice's total must be: its 大写 total; where neither the total nor its 大写 was read (a
    wallet app shows the amount large over a caption, 票面金额, with no 合计 label before it), the sum of
    its four splits (统筹 + 个人账户 + 自付 + 自费), every one read and not all zero. The splits are read
    under labels of their own, so a printed amount equal to their sum is the total those four readings
    agree on, not a figure chosen by its place."""
    upper = upper_total(fields)
    if upper is not None or "total_amount" in fields:
        return upper
    splits = [_decimal(fields, name) for name in INVOICE_SPLITS]
    if any(split is None for split in splits) or all(split == 0 for split in splits):
        return None
    return sum((split for split in splits if split is not None), Decimal(0))


def upper_total(fields: Fields) -> Decimal | None:
    """A bill's or list's 大写 total, as an amount; None when it was not read or does not parse."""
    upper = _text(fields, "total_amount_upper")
    return parse_upper_amount(upper) if upper is not None else None


def repair_list_total(fields: Fields) -> ExtractedField | None:
    """An expense list's total whose reading lost or moved its decimal point (442216 for 4422.16), put
    right when its items, each row's quantity × unit price agreeing with its amount, add up to the same
    digits: the rows are read one by one, and only the point's place differs. None when there is
    nothing certain to repair."""
    found = fields.get("total_amount")
    total = _decimal(fields, "total_amount")
    amounts, bad_rows = _item_amounts(fields)
    if found is None or total is None or not amounts or bad_rows:
        return None
    summed = sum(amounts, Decimal(0))
    if not _only_point_differs(found, total, summed):
        return None
    return as_repaired(found, f"{summed:.2f}")


def _only_point_differs(found: ExtractedField, total: Decimal, other: Decimal) -> bool:
    """The total as read is not `other` (a second reading of it), but its printed digits are."""
    return other != total and _digits(found.raw or "") == _digits(f"{other:.2f}")


def _digits(text: str) -> str:
    """The digits of a printed amount, without its point, separators or leading zeros (¥9,037.61 and
    903761 both 903761; 1.00 is 100, not 10000)."""
    return re.sub(r"[^0-9]", "", to_halfwidth(text)).lstrip("0")


def legacy_id_field(found: ExtractedField) -> tuple[ExtractedField, Check] | None:
    """A first-generation 15-digit number in its 18-digit form (GB 11643), marked repaired since the
    conversion made its check digit, and flagged id_legacy_15: a clerk compares it with the card. None
    for any other value."""
    converted = idnumber.from_legacy(str(found.value))
    if converted is None:
        return None
    return as_repaired(found, converted), _check(Code.id_legacy_15, False)


def repair_id_field(found: ExtractedField, born: dt.date | None, printed_sex: str | None) -> ExtractedField:
    number = str(found.value)
    repaired = idnumber.repair(number, born, printed_sex)
    if repaired is None:
        return found
    return as_repaired(found, repaired)
