"""The document-type rules on OCR-like text (the real-OCR path is covered in test_pipeline)."""

from __future__ import annotations

import pytest

from classifiers.doc_type import classify_page, load_rules, page_title, score_page
from intake.models import DocType, OcrLine, Page, Side


def page(*texts: str) -> Page:
    lines = [
        OcrLine(text=t, confidence=0.99, polygon=[(0, i * 40), (500, i * 40), (500, i * 40 + 30), (0, i * 40 + 30)])
        for i, t in enumerate(texts)
    ]
    return Page(source="x.jpg", page=1, width=1000, height=1400, lines=lines)


@pytest.mark.parametrize(
    ("texts", "doc_type", "side"),
    [
        (
            [
                "浙江省医疗住院收费票据",
                "票据代码：33060123 票据号码：0012345678",
                "交款人：王小明",
                "合计（大写）壹佰元整",
            ],
            DocType.invoice,
            None,
        ),
        (
            ["浙江大学医学院附属第一医院", "出院记录", "入院诊断：肺炎", "出院诊断：肺炎", "出院医嘱"],
            DocType.discharge_record,
            None,
        ),
        (["住院费用汇总明细清单", "项目名称 类别 数量 单价 金额", "第1页/共2页"], DocType.expense_list, None),
        # A list that names itself 费用明细单, its table head not read (rows only).
        (
            [
                "某市人民医院",
                "患者费用明细单",
                "姓名：王小明 住院号：1234567",
                "2 医用留置针·····卫生材料费··支···5···29.11···145.55",
            ],
            DocType.expense_list,
            None,
        ),
        (
            [
                "姓名 王小明",
                "性别 男 民族 汉",
                "出生 1980年1月15日",
                "住址 浙江省杭州市",
                "公民身份号码 330106198001151234",
            ],
            DocType.id_card,
            Side.front,
        ),
        (
            ["中华人民共和国", "居民身份证", "签发机关 杭州市公安局西湖分局", "有效期限 2016.01.01-2036.01.01"],
            DocType.id_card,
            Side.back,
        ),
        (
            ["跨省异地就医登记备案表", "参保地 杭州市", "备案类型 异地长期居住人员", "申请人签名"],
            DocType.filing_form,
            None,
        ),
        (
            ["中华人民共和国社会保障卡", "姓名 王小明", "社会保障号码 330106198001151234"],
            DocType.social_security_card,
            None,
        ),
        (
            ["增值税电子普通发票", "货物或应税劳务、服务名称", "运输服务 客运服务费", "价税合计（大写）"],
            DocType.other,
            None,
        ),
    ],
    ids=[
        "invoice",
        "discharge",
        "expense",
        "expense-mingxidan",
        "id-front",
        "id-back",
        "filing",
        "ss-card",
        "vat-invoice-negative",
    ],
)
def test_rules_pick_the_type(texts: list[str], doc_type: DocType, side: Side | None) -> None:
    result = classify_page(page(*texts), load_rules())
    assert (result.doc_type, result.side) == (doc_type, side)


@pytest.mark.parametrize(
    "title",
    ["上海增值税电子普通发票", "增值税普通发票", "增值税专用发票"],
)
def test_a_vat_invoice_with_a_goods_table_is_not_an_expense_list(title: str) -> None:
    """A tax invoice's goods table shares 规格型号 / 单位 / 数量 / 单价 / 金额 with a hospital's list of
    charges; its tax words (增值税, 税率, 税额, 价税合计) say it is neither a 费用清单 nor a 医疗收费票据."""
    texts = [
        title,
        "发票代码：031001900111 发票号码：12345678",
        "购买方 名称：某某公司 纳税人识别号：91310000MA1FL0000X",
        "货物或应税劳务、服务名称 规格型号 单位 数量 单价 金额 税率 税额",
        "*餐饮服务*餐费 份 2 50.00 100.00 6% 6.00",
        "价税合计（大写）壹佰零陆元整 （小写）￥106.00",
    ]
    result = classify_page(page(*texts), load_rules())
    assert result.doc_type not in (DocType.expense_list, DocType.invoice)


def test_an_expense_list_naming_its_unit_price_and_amount_stays_one() -> None:
    """The tax words are negative evidence only: a list of charges with 规格 / 数量 / 单价 and no tax
    words is still a 费用清单."""
    texts = ["住院费用清单", "项目名称 规格 单位 数量 单价 金额", "头孢呋辛钠 1.5g 支 2 20.00 40.00", "合计 40.00"]
    assert classify_page(page(*texts), load_rules()).doc_type is DocType.expense_list


def test_empty_page_is_other_and_not_confident() -> None:
    result = classify_page(page(), load_rules())
    assert result.doc_type is DocType.other and result.confidence <= 0.5


def titled_page(title: str, *texts: str, title_height: int = 48) -> Page:
    """A page whose first line is printed `title_height` high over body lines 24 high."""
    lines = [
        OcrLine(
            text=title,
            confidence=0.99,
            polygon=[(200, 60), (800, 60), (800, 60 + title_height), (200, 60 + title_height)],
        )
    ]
    lines += [
        OcrLine(
            text=t,
            confidence=0.99,
            polygon=[(0, 200 + i * 40), (900, 200 + i * 40), (900, 224 + i * 40), (0, 224 + i * 40)],
        )
        for i, t in enumerate(texts)
    ]
    return Page(source="x.jpg", page=1, width=1000, height=1400, lines=lines)


FILING_RECORD_BODY = (
    "备案编号：BA2025000000",
    "参保地 某省某市 就医地 某省某市",
    "备案类型 常驻异地工作人员",
    "联系电话 135****0000",
    "就医时请出示医保电子凭证或社会保障卡，并告知已办理异地就医备案。",
    "本凭证由国家医保服务平台生成。",
)


def test_the_title_line_is_the_tallest_line_of_words_at_the_top() -> None:
    """GIVEN a page whose first line is printed twice as high as the rest, WHEN its title is read, THEN it
    is that line; a page of one size, or whose tall line is a short label, has none."""
    rules = load_rules()
    assert (
        page_title(titled_page("跨省异地就医备案凭证", *FILING_RECORD_BODY), rules.title_height)
        == "跨省异地就医备案凭证"
    )
    assert (
        page_title(titled_page("跨省异地就医备案凭证", *FILING_RECORD_BODY, title_height=24), rules.title_height) == ""
    )
    assert page_title(titled_page("性别", *FILING_RECORD_BODY), rules.title_height) == ""


def hand_filled_page(*texts: str) -> Page:
    """A form filled in by hand: its first line printed 30 high, then printed labels 24 high each beside a
    value written 40 high (handwriting as tall as the title, or taller), one row a 60 px step."""
    lines = [
        OcrLine(text=texts[0], confidence=0.99, polygon=[(200, 60), (800, 60), (800, 90), (200, 90)]),
    ]
    for i, t in enumerate(texts[1:]):
        y = 160 + 60 * i
        label, value = t.split(" ", 1)
        lines.append(OcrLine(text=label, confidence=0.99, polygon=[(40, y), (200, y), (200, y + 24), (40, y + 24)]))
        lines.append(OcrLine(text=value, confidence=0.9, polygon=[(240, y), (700, y), (700, y + 40), (240, y + 40)]))
    return Page(source="x.jpg", page=1, width=1000, height=1400, lines=lines)


HAND_FILLED = ("姓名 某某某", "参保地 某省某市", "就医地 某省某市", "开始日期 2025.6.3")


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("基本医疗保险异地就医登记申请表", "基本医疗保险异地就医登记申请表"),
        ("医疗住院收费票据（电子）", "医疗住院收费票据（电子）"),
        ("住院费用清单", "住院费用清单"),
        ("某某市医疗保障局", ""),  # a name that is no document's
        ("表单编号：某某登记表", ""),  # a label
    ],
)
def test_a_title_no_taller_than_the_handwriting_is_found_by_its_words(first: str, title: str) -> None:
    """GIVEN a form filled in by hand whose printed title stands no taller than the handwriting WHEN its
    title is read THEN it is the line at the top ending in what a document's name ends in (a bracketed
    remark after it aside), not a name of something else nor a label's line; by height alone it would be a
    value written by hand, which stays the title only where no line names a document."""
    rules = load_rules()
    page = hand_filled_page(first, *HAND_FILLED)
    # By height alone the tallest line of words is a value written by hand.
    assert page_title(page, rules.title_height) == "某省某市"
    assert page_title(page, rules.title_height, rules.title_endings) == (title or "某省某市")


def test_a_title_found_by_its_words_stands_in_the_top_third() -> None:
    """GIVEN a page of one size whose only line ending in 表 stands at the foot WHEN its title is read THEN
    there is none: a title heads the page."""
    rules = load_rules()
    body = [f"第{i}行 内容某某" for i in range(30)]
    lines = [
        OcrLine(text=t, confidence=0.99, polygon=[(0, 40 * i), (500, 40 * i), (500, 40 * i + 30), (0, 40 * i + 30)])
        for i, t in enumerate([*body, "本人已阅读并填写此表"])
    ]
    assert (
        page_title(Page(source="x.jpg", page=1, width=1000, height=1400, lines=lines), 1.25, rules.title_endings) == ""
    )


def test_a_hand_filled_form_s_title_counts_as_its_title() -> None:
    """GIVEN a hand-filled 申请表 whose title is no taller than its handwriting WHEN classified THEN its title's
    word counts title_factor times, as on a form whose title is printed larger."""
    rules = load_rules()
    scores = {
        s.candidate.doc_type: s.candidate.score
        for s in score_page(hand_filled_page("异地就医登记申请表", *HAND_FILLED), rules)
    }
    plain = {
        s.candidate.doc_type: s.candidate.score for s in score_page(page("登记申请表：见附页", *HAND_FILLED), rules)
    }
    assert scores[DocType.filing_form] > plain[DocType.filing_form]
    assert classify_page(hand_filled_page("异地就医登记申请表", *HAND_FILLED), rules).doc_type is DocType.filing_form


def test_a_filing_record_whose_notes_name_the_insurance_code_is_a_filing() -> None:
    """A filing's record printed by the 医保 platform names the 医保电子凭证 and the platform in its notes;
    its title names the filing (备案凭证), and the title's words decide."""
    result = classify_page(titled_page("跨省异地就医备案凭证", *FILING_RECORD_BODY), load_rules())
    assert result.doc_type is DocType.filing_form and not result.unsure


def test_an_insurance_code_page_mentioning_filing_stays_an_insurance_code() -> None:
    """The 医保电子凭证 itself, whose service list offers 异地就医备案, is what its title names."""
    texts = ("国家医保服务平台", "医保码 请出示给医药机构扫码", "常用服务 异地就医备案 参保信息查询", "联系电话 12393")
    result = classify_page(titled_page("医保电子凭证", *texts), load_rules())
    assert result.doc_type is DocType.medical_insurance_code and not result.unsure


def test_a_title_word_counts_more_than_the_same_word_in_the_body() -> None:
    rules = load_rules()
    body = ("姓名 某某", "出院诊断 某病")
    titled = {s.candidate.doc_type: s.candidate.score for s in score_page(titled_page("出院记录", *body), rules)}
    # The word in a label's line (a colon after it): no title, whatever where it stands.
    flat = {s.candidate.doc_type: s.candidate.score for s in score_page(page("出院记录：见附页", *body), rules)}
    assert titled[DocType.discharge_record] > flat[DocType.discharge_record]


def test_a_referral_filing_form_printing_an_id_number_row_is_a_filing_surely() -> None:
    """GIVEN a 转外就医备案表 whose title is printed no larger than its cells (so it counts as body text),
    with a 公民身份号码 row holding an ID number THEN it is a filing form, not unsure beside an ID card:
    the referral filing's own words name it."""
    found = classify_page(
        page(
            "基本医疗保险参保人员转外就医备案表",
            "姓名 莫峰红 性别 男",
            "公民身份号码 210411194808285538",
            "参保地 辽宁省抚顺市",
            "转往医院 浙江大学医学院附属第一医院",
            "联系电话 13600007186",
        ),
        load_rules(),
    )
    assert (found.doc_type, found.unsure) == (DocType.filing_form, False)


def test_an_application_form_asking_for_an_id_number_is_a_filing_not_a_card() -> None:
    """GIVEN a hand-filled 登记申请表 whose title is no taller than the handwriting (so it counts as body
    text), with a 公民身份号码 row, a 性别 row and the filing's places THEN it is a filing form, surely: the
    form's title word 申请表 names a filing and no card prints it."""
    found = classify_page(
        page(
            "基本医疗保险异地就医登记申请表",
            "姓名 张三",
            "性别 男 女",
            "公民身份号码 110101199003074514",
            "联系电话 13900001234",
            "参保地 浙江省杭州市",
            "就医地 上海市",
            "申请人签字：张三",
        ),
        load_rules(),
    )
    assert (found.doc_type, found.unsure) == (DocType.filing_form, False)


def test_an_id_card_front_stays_a_card() -> None:
    """GIVEN a card front's few labelled lines THEN the form words added against cards do not touch it."""
    found = classify_page(
        page(
            "姓名 张三",
            "性别 男 民族 汉",
            "出生 1990年3月7日",
            "住址 北京市东城区某路1号",
            "公民身份号码 110101199003074514",
        ),
        load_rules(),
    )
    assert (found.doc_type, found.side) == (DocType.id_card, Side.front)
