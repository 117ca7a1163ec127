"""Mechanisms for layouts the rules were not drawn from, each on crafted OCR lines (not a sample): a
column of bracketed section headings whose values follow them, a value printed in parts under labels of
their own (中医诊断 / 西医诊断), a value stated in a phrase (住院12天), a sign-off row whose column heading
names the signer over 签字：, and the synonyms a referral (转诊转院备案表) prints."""

from __future__ import annotations

import datetime as dt

from extractors.extract import extract_document
from extractors.layout import located_lines, section_heading
from intake.models import DocType, Document, ExtractedField, OcrLine
from tests.factories import line, page_of

CASE_DATE = dt.date(2025, 6, 20)
MIN_FIELD_CONFIDENCE = 0.8


def read(doc_type: DocType, *lines: OcrLine) -> tuple[dict[str, ExtractedField], list[str]]:
    doc = Document(source="t.jpg", pages=[1], doc_type=doc_type)
    fields, checks = extract_document(doc, [page_of(list(lines))], CASE_DATE)
    return fields, [name for c in checks if not c.ok for name in c.fields]


def value(fields: dict[str, ExtractedField], name: str) -> object:
    return fields[name].value if name in fields else None


# A record whose header values are typed over their labels (values above labels, two rows confirming it),
# then sections headed by bracketed words at the left margin, each section's text under its heading.
UNDER_LABELS_HEAD = [
    line("宁波市第二医院", 700, 60, h=60),
    line("出院记录", 800, 150, h=60),
    line("陈建国", 180, 260),
    line("男", 360, 260),
    line("5804793", 980, 260),
    line("姓名", 190, 300),
    line("性别", 350, 300),
    line("住院号", 990, 300),
    line("2025年6月12日", 190, 355, w=190),
    line("2025年6月15日", 515, 355, w=190),
    line("入院日期", 240, 400, w=90),
    line("出院日期", 565, 400, w=90),
]


def _sections(admission: list[OcrLine], discharge: list[OcrLine]) -> list[OcrLine]:
    return [
        *UNDER_LABELS_HEAD,
        line("(入院情况)", 134, 480, w=140),
        line("因“口干多饮、乏力1月”入院，舌淡红，苔薄黄。", 163, 530, w=660),
        line("(入院诊断)", 136, 600, w=140),
        *admission,
        line("(诊疗经过)", 134, 760, w=140),
        line("入院后予降糖治疗，血糖控制平稳。", 162, 805, w=900),
        line("(出院诊断)", 137, 875, w=140),
        *discharge,
        line("(出院医嘱)", 137, 1035, w=140),
        line("出院带药遵医嘱服用。", 165, 1080, w=480),
    ]


def test_bracketed_section_headings_take_the_text_below_them() -> None:
    """GIVEN a record whose header values stand over their labels, then sections headed (入院情况),
    (入院诊断), (诊疗经过), (出院诊断) at the left margin WHEN read THEN each diagnosis is the line under its
    heading, not the previous section's sentence over it, and trusted as read (the headings' column shows
    the convention)."""
    fields, _ = read(
        DocType.discharge_record,
        *_sections([line("2型糖尿病", 165, 650, w=150)], [line("2型糖尿病伴周围神经病变", 165, 925, w=330)]),
    )
    assert value(fields, "admission_diagnosis") == "2型糖尿病"
    assert value(fields, "discharge_diagnosis") == "2型糖尿病伴周围神经病变"
    assert fields["discharge_diagnosis"].confidence >= MIN_FIELD_CONFIDENCE
    assert value(fields, "patient_name") == "陈建国"


def test_a_column_of_bracketed_labels_under_ruled_blanks_is_no_section() -> None:
    """GIVEN bracketed labels stacked in a column, each under its value (the first one's value over it)
    THEN none of them is a section heading: their values stay the ones above them."""
    lines = [
        line("陈建国", 140, 300),
        line("(姓名)", 150, 370, w=120, h=32),
        line("5804793", 140, 420),
        line("(住院号)", 150, 490, w=150, h=32),
    ]
    located = located_lines([page_of(lines)])
    assert not any(section_heading(located, ln) for ln in located)
    fields, _ = read(DocType.discharge_record, *lines)
    assert value(fields, "patient_name") == "陈建国"


def test_a_diagnosis_printed_in_two_medicines_keeps_the_western_part() -> None:
    """GIVEN diagnoses printed as 中医诊断：… then 西医诊断：… under their sections, or both on the label's own
    line WHEN read THEN each diagnosis is the 西医 (ICD-10) part, the one 医保 settles on."""
    fields, _ = read(
        DocType.discharge_record,
        *_sections(
            [line("中医诊断：消渴病气阴两虚证", 165, 650, w=350), line("西医诊断：2型糖尿病", 163, 693, w=220)],
            [line("中医诊断：中风病风痰阻络证", 165, 925, w=350), line("西医诊断：脑梗死", 163, 968, w=220)],
        ),
    )
    assert value(fields, "admission_diagnosis") == "2型糖尿病"
    assert value(fields, "discharge_diagnosis") == "脑梗死"
    inline, _ = read(
        DocType.discharge_record,
        line("出院记录", 800, 150, h=60),
        line("姓名：陈建国", 100, 250),
        line("出院诊断：中医诊断：胸痹心血瘀阻证 西医诊断：冠状动脉粥样硬化性心脏病", 100, 400, w=1500),
    )
    assert value(inline, "discharge_diagnosis") == "冠状动脉粥样硬化性心脏病"


def test_only_the_other_part_printed_is_flagged_for_a_clerk() -> None:
    """GIVEN a diagnosis printed only as 中医诊断：… (no 西医 part) THEN it is read without its part label and
    below the clerk threshold: which diagnosis the stay is settled on is a clerk's call."""
    fields, _ = read(
        DocType.discharge_record,
        line("出院记录", 800, 150, h=60),
        line("姓名：陈建国", 100, 250),
        line("出院诊断：中医诊断：胸痹心血瘀阻证", 100, 400, w=700),
    )
    assert value(fields, "discharge_diagnosis") == "胸痹心血瘀阻证"
    assert fields["discharge_diagnosis"].confidence < MIN_FIELD_CONFIDENCE


def _handwritten(days: str) -> list[OcrLine]:
    return [
        line("出院记录", 800, 150, h=60),
        line("姓名赵强建", 160, 430),
        line("入院日期", 170, 640, w=180),
        line("2025.5.25", 330, 630, w=215),
        line("出院日期 2025.6.6", 680, 615, w=360),
        line(f"住院{days}天", 1190, 610, w=260),
        line("出院诊断：腰椎间盘突出症", 190, 1250, w=540),
    ]


def test_days_in_hospital_stated_in_a_phrase() -> None:
    """GIVEN a record printing the stay as 住院12天 with no 住院天数 label WHEN read THEN the days are 12,
    trusted as read because the stay's dates bear them out; a phrase the dates contradict is flagged."""
    fields, failed = read(DocType.discharge_record, *_handwritten("12"))
    assert value(fields, "days_in_hospital") == "12"
    assert fields["days_in_hospital"].confidence >= MIN_FIELD_CONFIDENCE
    wrong, failed = read(DocType.discharge_record, *_handwritten("21"))
    assert value(wrong, "days_in_hospital") == "21"
    assert "days_in_hospital" in failed
    assert value(read(DocType.discharge_record, line("住院号 7365359", 160, 530, w=300))[0], "days_in_hospital") is None


REFERRAL = [
    line("合肥市基本医疗保险参保人员转诊转院备案表", 636, 173, w=1180),
    line("患者姓名", 237, 400, w=190),
    line("邓强怡", 492, 400, w=160),
    line("公民身份号码", 207, 513, w=250),
    line("330302195907222401", 499, 512, w=416),
    line("备案类别", 1278, 724, w=182),
    line("☑异地转诊人员 □异地急诊抢救人员", 1535, 726, w=700),
    line("转入医院", 232, 1024, w=192),
    line("昆明医科大学第一附属医院", 500, 1031, w=508),
    line("转往地区", 1272, 1034, w=184),
    line("云南省昆明市", 1532, 1034, w=270),
    line("预计转诊日期", 199, 1132, w=256),
    line("2025年7月1日", 494, 1134, w=274),
    line("经治医师", 339, 1495, w=183),
    line("患者或家属", 1883, 1507, w=214, h=66),
    line("同意转诊。", 1236, 1583, w=197),
    line("签字：谢兰婷", 193, 1672, w=309),
]


def test_a_referral_reads_its_destination_type_and_start() -> None:
    """GIVEN a 转诊转院备案表 (转往地区, 备案类别, 预计转诊日期) THEN the destination is the region the patient
    is sent to, the type the ticked option and the start the day of the referral; the receiving hospital
    is not the destination."""
    fields, _ = read(DocType.filing_form, *REFERRAL, line("签字：邓强怡", 1752, 1689, w=294, h=73))
    assert value(fields, "destination") == "云南省昆明市"
    assert value(fields, "filing_type") == "异地转诊人员"
    assert value(fields, "start_date") == "2025-07-01"


def test_a_signature_under_the_signers_column_heading() -> None:
    """GIVEN a sign-off row whose columns are headed 经治医师 | 患者或家属 with 签字： and a name under each
    THEN the applicant's signature is the one under 患者或家属 (present); a blank 签字： there is an unsigned
    form, and the doctor's signature never stands for the patient's."""
    signed, _ = read(DocType.filing_form, *REFERRAL, line("签字：邓强怡", 1752, 1689, w=294, h=73))
    assert value(signed, "signature_present") is True
    assert signed["signature_present"].confidence >= MIN_FIELD_CONFIDENCE
    blank, _ = read(DocType.filing_form, *REFERRAL, line("签字：", 1752, 1689, w=200, h=73))
    assert value(blank, "signature_present") is False
    unsigned, _ = read(DocType.filing_form, *REFERRAL)
    assert value(unsigned, "signature_present") is None


def _carbon_bill(upper: str, remark: str, payee: str) -> list[OcrLine]:
    return [
        line("浙江省医疗收费票据（住院）", 630, 60, w=650),
        line("No 0013050645", 1480, 60, w=310),
        line("票据代码：41060124", 90, 170, w=300),
        line("开票日期：2025.05.26", 1180, 165, w=320),
        line("姓名：贾瑞林", 100, 250, w=240),
        line("合计人民币（大写)", 115, 700, w=260),
        line(upper, 405, 710, w=390),
        line("￥5339.73", 1270, 700, w=180),
        line("备注", 106, 790, w=90),
        line(remark, 203, 795, w=1110),
        line(f"收款单位（盖章）：{payee}", 93, 900, w=700),
    ]


def test_a_carbon_bills_remark_splits_and_a_traditional_upper_numeral() -> None:
    """GIVEN a bill whose 大写 prints 參 (the traditional 叁) and whose 备注 gives 医保统筹:… with the 自付
    amount read without its point THEN the 大写 is the whole amount, it bears the total out, 医保统筹 is the
    统筹 split, and the split's point is put back where the splits must sum to the total."""
    fields, failed = read(
        DocType.invoice,
        *_carbon_bill(
            "伍仟叁佰叁拾玖元柒角參分",
            "医保统筹:3631.02个人账户:370.00个人自付:96493个人自费:373.78现金:1338.71",
            "浙江大学医学院附属第二医院",
        ),
    )
    assert value(fields, "total_amount_upper") == "伍仟叁佰叁拾玖元柒角叁分"
    assert value(fields, "medical_insurance_paid") == "3631.02"
    assert value(fields, "self_paid") == "964.93"
    assert not failed


def test_a_payee_whose_end_was_lost_is_flagged() -> None:
    """GIVEN a payee read without its last character (…第二医 for …第二医院) THEN it is kept but below the
    clerk threshold; the whole name is trusted as read."""
    remark = "医保统筹:3631.02个人账户:370.00个人自付:964.93个人自费:373.78"
    cut, _ = read(DocType.invoice, *_carbon_bill("伍仟叁佰叁拾玖元柒角叁分", remark, "浙江大学医学院第二医"))
    assert value(cut, "payee") == "浙江大学医学院第二医"
    assert cut["payee"].confidence < MIN_FIELD_CONFIDENCE
    whole, _ = read(DocType.invoice, *_carbon_bill("伍仟叁佰叁拾玖元柒角叁分", remark, "浙江大学医学院附属第二医院"))
    assert whole["payee"].confidence >= MIN_FIELD_CONFIDENCE


def test_splits_partly_read_that_miss_the_total_are_flagged() -> None:
    """GIVEN a bill whose 统筹 split a seal hid (its label unread) while 个人自付 and 个人自费 are read THEN the
    splits read, short of the total, fail the splits check naming every split, so the missing 统筹 is
    flagged rather than silently absent; a bill printing 统筹, 个人账户 and its cash part (现金支付) that
    make the total raises nothing."""
    remark = "个人自付:964.93个人自费:373.78现金:1338.71"
    _, failed = read(DocType.invoice, *_carbon_bill("伍仟叁佰叁拾玖元柒角叁分", remark, "浙江大学医学院附属第二医院"))
    assert {"medical_insurance_paid", "personal_account_paid"} <= set(failed)
    cash = "医保统筹:3631.02个人账户:370.00现金支付:1338.71"
    bill = _carbon_bill("伍仟叁佰叁拾玖元柒角叁分", cash, "浙江大学医学院附属第二医院")
    _, none_failed = read(DocType.invoice, *bill)
    assert "medical_insurance_paid" not in none_failed


def test_a_name_read_in_a_traditional_form_is_simplified_and_flagged() -> None:
    """GIVEN a list's patient name read 黃慧敏 (the recogniser's traditional form) THEN it is 黄慧敏, below the
    clerk threshold (a few name characters are standard in both forms); a simplified name is trusted."""
    fields, _ = read(DocType.expense_list, line("住院费用明细清单", 700, 60, h=60), line("姓名：黃慧敏", 100, 200))
    assert value(fields, "patient_name") == "黄慧敏"
    assert fields["patient_name"].confidence < MIN_FIELD_CONFIDENCE
    plain, _ = read(DocType.expense_list, line("住院费用明细清单", 700, 60, h=60), line("姓名：黄慧敏", 100, 200))
    assert plain["patient_name"].confidence >= MIN_FIELD_CONFIDENCE


def test_a_second_item_numbering_a_type_is_no_decimal() -> None:
    """GIVEN 入院诊断：1. 脑梗死 2.2型糖尿病 (two items, the second a type) THEN the principal diagnosis is 脑梗死:
    a 型 is numbered by whole numbers, so 2.2型 is item 2's 2型."""
    fields, _ = read(
        DocType.discharge_record,
        line("出院记录", 800, 150, h=60),
        line("姓名：陈建国", 100, 250),
        line("入院诊断：1. 脑梗死 2.2型糖尿病", 530, 850, w=510),
    )
    assert value(fields, "admission_diagnosis") == "脑梗死"


def test_a_tax_invoice_style_block_heading_and_a_spaced_label() -> None:
    """GIVEN a receipt heading its blocks 交款方 and 收款方 down the left edge, each with 名 称： spaced over its
    cell (名 read as a line of its own) THEN the payer is the 名称 in the 交款方 block and the payee the one
    in the 收款方 block; a heading's other lines (住院号：…) keep their own labels."""
    fields, _ = read(
        DocType.invoice,
        line("浙江省住院收费票据", 667, 58, w=410, h=62),
        line("票据代码：41060124", 67, 72, w=237),
        line("交款方", 80, 265, w=46, h=111),
        line("名", 150, 268, w=37),
        line("称：", 217, 266, w=53),
        line("韩洋兰", 296, 257, w=106),
        line("住院号：83033573", 151, 310, w=224),
        line("收款方", 88, 754, w=45, h=125),
        line("名", 158, 758, w=37),
        line("称：杭州市中医院", 229, 756, w=202),
    )
    assert value(fields, "payer_name") == "韩洋兰"
    assert value(fields, "payee") == "杭州市中医院"


def _id_front(birth: str, number: str) -> list[OcrLine]:
    return [
        line("姓名万红国", 420, 426, w=141),
        line("性别女", 422, 473, w=96),
        line("民族苗", 548, 470, w=93),
        line(f"出生{birth}", 422, 518, w=194),
        line("住址 浙江省杭州市余杭区临平", 422, 564, w=282),
        line("公民身份号码", 425, 684, w=132),
        line(number, 550, 683, w=217),
    ]


def test_a_birth_date_one_digit_off_a_checked_id_number_is_the_numbers() -> None:
    """GIVEN a card whose birth date reads 1996年9月18日 and whose ID number (check digit right) holds
    1996-09-13 THEN the date is the number's (repaired): one of two readings of a date is misread, and a
    misread digit in the number would fail its check digit. A date two digits off is left, and flagged."""
    card = DocType.id_card
    doc = Document(source="t.jpg", pages=[1], doc_type=card, side="front")
    fields, checks = extract_document(doc, [page_of(_id_front("1996年9月18日", "330110199609137601"))], CASE_DATE)
    assert (value(fields, "birth_date"), fields["birth_date"].repaired) == ("1996-09-13", True)
    fields, checks = extract_document(doc, [page_of(_id_front("1996年8月18日", "330110199609137601"))], CASE_DATE)
    assert value(fields, "birth_date") == "1996-08-18"
    assert any(c.code == "id_birth_date" and not c.ok for c in checks)


def test_a_name_signed_over_a_signature_label() -> None:
    """GIVEN a record whose header values stand under their labels (a grid) and whose foot prints the
    doctor's name over 主治医师（签名） THEN the doctor is the name above the label, below the clerk threshold
    (the page confirms no value over its label); without the signature note nothing above is taken."""
    head = [
        line("出院证明书", 930, 280, w=360, h=80),
        line("姓名", 274, 423, w=96, h=70),
        line("性别", 458, 427, w=98, h=70),
        line("住院号", 824, 433, w=132, h=70),
        line("李佳慧", 251, 510, w=139, h=70),
        line("女", 471, 517, w=69, h=70),
        line("23787244", 795, 529, w=185, h=62),
        line("入院时间：2025-06-09", 199, 657, w=498, h=61),
        line("出院时间：2025-06-15", 1107, 678, w=493, h=60),
        line("出院诊断：急性阑尾炎", 191, 1029, w=600, h=60),
        line("田辉", 1101, 1592, w=121, h=70),
    ]
    fields, _ = read(DocType.discharge_record, *head, line("主治医师 (签名)", 1106, 1691, w=247, h=55))
    assert value(fields, "doctor") == "田辉"
    assert fields["doctor"].confidence < MIN_FIELD_CONFIDENCE
    unsigned, _ = read(DocType.discharge_record, *head, line("主治医师", 1106, 1691, w=160, h=55))
    assert value(unsigned, "doctor") is None


def test_a_list_titled_fee_details_names_its_hospital() -> None:
    """GIVEN a list titled 杭州市第一人民医院住院患者费用明细 (no 清单) THEN its hospital is the name in front."""
    fields, _ = read(
        DocType.expense_list,
        line("杭州市第一人民医院住院患者费用明细", 707, 56, w=569, h=49),
        line("姓名：谢浩波", 55, 134, w=137),
    )
    assert value(fields, "hospital") == "杭州市第一人民医院"
