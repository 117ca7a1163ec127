"""Invoices, filing forms and ID cards on constructed OCR lines: a title no note ends, a total its splits
choose, a tick beside its option, an address run on past a card's edge (issue 28)."""

from __future__ import annotations

from intake.models import Check, DocType, ExtractedField, OcrLine, Side
from tests.factories import extracted, line


def test_a_numbered_note_ending_with_a_title_word_is_not_the_title() -> None:
    """GIVEN a printed filing voucher titled …就医备案凭证 whose notes below number their sentences, one
    ending …已办理异地就医备案。 THEN the title is the voucher's own line, not the note."""
    fields, _ = extracted(
        DocType.filing_form,
        line("跨省异地就医备案凭证", 700, 200),
        line("参保人姓名", 250, 400),
        line("叶雪", 460, 400),
        line("注意事项:", 200, 1900),
        line("1. 备案成功后，可在就医地开通跨省直接结算的定点医药机构直接结算。", 220, 1950),
        line("2. 就医时请出示医保电子凭证或社会保障卡，并主动告知已办理异地就医备案。", 220, 2000),
    )
    assert fields["form_title"].value == "跨省异地就医备案凭证"


def test_a_sentence_ending_with_a_title_word_is_not_the_title_even_unnumbered() -> None:
    """GIVEN a sentence with a comma that ends 备案表 above a form titled …登记备案表 THEN the form's title."""
    fields, _ = extracted(
        DocType.filing_form,
        line("请如实填写，并于三日内交回本备案表", 200, 100),
        line("异地就医登记备案表", 700, 200),
    )
    assert fields["form_title"].value == "异地就医登记备案表"


def _wallet_bill(shown: str) -> list[OcrLine]:
    """A wallet app's bill detail: the amount shown large over the caption 票面金额（元）, no 合计 printed,
    the four splits each under its own label."""
    return [
        line("医疗住院收费电子票据", 340, 400),
        line(shown, 330, 550),
        line("票面金额（元）", 400, 660),
        line("交款人", 90, 990),
        line("林亮博", 840, 990),
        line("医保统筹基金支付", 90, 3150),
        line("1880.59", 820, 3150),
        line("个人账户支付", 90, 3250),
        line("96.00", 860, 3250),
        line("个人自付", 90, 3350),
        line("1436.33", 820, 3350),
        line("个人自费", 90, 3440),
        line("69.65", 860, 3440),
    ]


def test_a_total_shown_without_a_label_is_the_amount_its_four_splits_sum_to() -> None:
    """GIVEN a bill printing no 合计 and no 大写, its amount alone on a line and its four splits read
    THEN the total is that line's amount (the sum of the splits), and the splits check passes."""
    fields, checks = extracted(DocType.invoice, *_wallet_bill("¥3482.57"))
    assert fields["total_amount"].value == "3482.57"
    assert [c.ok for c in checks if c.code == "invoice_splits_sum"] == [True]


def test_an_amount_the_splits_do_not_sum_to_is_not_taken_as_the_total() -> None:
    """GIVEN the same bill whose shown amount differs from its splits' sum THEN no total is taken: the
    missing total is a failed check naming it."""
    fields, checks = extracted(DocType.invoice, *_wallet_bill("¥3428.57"))
    assert "total_amount" not in fields
    assert any(not c.ok and "total_amount" in c.fields for c in checks)


def _missing(checks: list[Check]) -> list[list[str]]:
    return [c.fields for c in checks if c.code == "field_missing" and not c.ok]


def test_a_bill_showing_no_amount_in_words_whose_splits_bear_the_total_out_lacks_nothing() -> None:
    """GIVEN the wallet's bill: no 大写 anywhere on it, its four splits summing to the total THEN no field is
    missing for the amount in words. GIVEN the same bill with 合计（大写） printed and its value lost THEN the
    gap is named: printed and not read is a clerk's business."""
    _, checks = extracted(DocType.invoice, *_wallet_bill("¥3482.57"))
    assert ["total_amount_upper"] not in _missing(checks)
    _, checks = extracted(DocType.invoice, *_wallet_bill("¥3482.57"), line("合计（大写）", 90, 700))
    assert ["total_amount_upper"] in _missing(checks)


def test_a_bill_showing_no_amount_in_words_whose_splits_do_not_bear_it_out_lacks_it() -> None:
    """GIVEN a bill with no 大写 on it and only two of its splits read THEN nothing bears its total out, and
    the missing amount in words is named."""
    _, checks = extracted(
        DocType.invoice,
        line("医疗住院收费电子票据", 340, 400),
        line("合计", 90, 600),
        line("3482.57", 820, 600),
        line("个人自付", 90, 700),
        line("1436.33", 820, 700),
        line("个人自费", 90, 800),
        line("69.65", 820, 800),
    )
    assert ["total_amount_upper"] in _missing(checks)


def _receipt(*extra: OcrLine) -> list[Check]:
    """A hospital's handwritten receipt: its serial after No, written dates after 开票：, no code."""
    return extracted(
        DocType.invoice,
        line("住院收费收据", 700, 150),
        line("No1234567", 1400, 150),
        line("交款人：王小明", 200, 300),
        line("收款人：李芳  开票：2025.04.21", 1000, 1500),
        *extra,
    )[1]


def test_a_receipt_showing_no_national_bill_word_has_no_code_to_miss() -> None:
    """GIVEN a receipt printing none of the words of the national bills (…代码, 电子票据, 财政, 监制, 发票)
    THEN no code is missing. GIVEN 票据代码 printed and no code read THEN the gap is named."""
    assert ["invoice_code"] not in _missing(_receipt())
    checks = _receipt(line("票据代码：", 200, 220))
    assert any(c.fields == ["invoice_code"] and not c.ok for c in checks)


def test_a_date_after_the_short_label_kaipiao_is_the_issue_date_and_the_drawer_is_not() -> None:
    """GIVEN 开票：2025.04.21 on a receipt THEN the issue date. GIVEN only 开票人：李芳 THEN no date is taken
    from the drawer's name."""
    fields, _ = extracted(DocType.invoice, line("收款人：李芳  开票：2025.04.21", 1000, 1500))
    assert fields["issue_date"].value == "2025-04-21"
    fields, _ = extracted(DocType.invoice, line("开票人：李芳", 1000, 1500))
    assert "issue_date" not in fields


def test_a_commitment_whose_signature_line_is_not_read_is_a_gap_a_clerk_is_told_of() -> None:
    """GIVEN a 承诺书 whose 承诺人 line was lost in reading (only its 承诺日期 read) THEN a failed field_missing
    check names signature_present. GIVEN a form printing no commitment and no signature line THEN none."""
    _, checks = extracted(
        DocType.filing_form,
        line("跨省异地就医备案个人承诺书", 680, 160),
        line("姓名", 290, 300),
        line("梁峰春", 530, 300),
        line("承诺日期：2025年6月20日", 950, 1800),
    )
    missing = [c.fields for c in checks if c.code == "field_missing"]
    assert ["signature_present"] in missing
    _, checks = extracted(
        DocType.filing_form,
        line("异地就医备案登记表", 680, 160),
        line("姓名", 290, 300),
        line("梁峰春", 530, 300),
    )
    assert ["signature_present"] not in [c.fields for c in checks if c.code == "field_missing"]


def _card_back(doc_lines: list[OcrLine]) -> tuple[dict[str, ExtractedField], list[Check]]:
    return extracted(DocType.id_card, *doc_lines, side=Side.back)


def test_a_card_back_whose_labels_a_fax_lost_is_read_by_the_form_of_its_two_values() -> None:
    """GIVEN an ID card's back faxed, its 签发机关 and 有效期限 labels lost, the authority and the validity
    each alone on a line THEN both are read from those lines."""
    fields, _ = _card_back(
        [
            line("2025-06-20 09:58 FROM:0574 58752250 P.02/02", 40, 16),
            line("中华人民共和国", 450, 875),
            line("居民身份证", 456, 931),
            line("杭州市公安局上城分局", 397, 1047),
            line("2016.06.08-2026.06.08", 397, 1092),
        ]
    )
    assert fields["issuing_authority"].value == "杭州市公安局上城分局"
    assert (fields["valid_from"].value, fields["valid_to"].value) == ("2016-06-08", "2026-06-08")


def test_two_lines_of_an_authoritys_form_choose_no_authority() -> None:
    """GIVEN a page holding two lines that are each a public-security office's name and no label THEN no
    authority is taken: a failed field_missing check names it."""
    fields, checks = _card_back(
        [
            line("杭州市公安局上城分局", 397, 1047),
            line("宁波市公安局海曙分局", 397, 1300),
            line("2016.06.08-长期", 397, 1092),
        ]
    )
    assert "issuing_authority" not in fields
    assert ["issuing_authority"] in [c.fields for c in checks if c.code == "field_missing"]
    assert (fields["valid_from"].value, fields["valid_to"].value) == ("2016-06-08", "长期")


def _filing_type(*row: OcrLine) -> ExtractedField:
    title, label = line("异地就医登记备案表", 700, 100), line("备案类型：", 180, 1000)
    fields, _ = extracted(DocType.filing_form, title, label, *row)
    return fields["filing_type"]


def test_a_tick_written_after_its_option_chooses_that_option() -> None:
    """GIVEN a row whose boxes stand after their options (…人员□ …人员√) THEN the option before the tick.
    GIVEN the same row with the empty boxes lost in reading, the tick closing the row's line THEN the same."""
    chosen = _filing_type(line("异地长期居住人员□ 常驻异地工作人员□ 异地转诊人员√ 异地安置退休人员□", 340, 1000))
    assert (chosen.value, chosen.confidence >= 0.9) == ("异地转诊人员", True)
    chosen = _filing_type(line("异地长期居住人员 常驻异地工作人员 异地安置退休人员✓", 340, 1000))
    assert (chosen.value, chosen.confidence >= 0.9) == ("异地安置退休人员", True)


def test_a_tick_before_its_option_still_chooses_the_option_after_it() -> None:
    """GIVEN boxes before their options (□… ☑… □…) THEN the option after the tick, as before."""
    chosen = _filing_type(line("□异地长期居住人员 ☑常驻异地工作人员 □异地转诊人员", 340, 1000))
    assert chosen.value == "常驻异地工作人员"


def test_a_tick_read_as_a_line_of_its_own_goes_with_the_option_it_stands_against() -> None:
    """GIVEN the boxes lost in reading and the tick read as a line of its own, right against the option
    after it THEN that option; GIVEN it right against the option before it THEN that one."""
    first, end = "异地长期居住人员 异地转诊人员", 340 + 30 * 14
    chosen = _filing_type(
        line(first, 340, 1000, w=30 * 14), line("√", end + 30, 1000, w=30), line("异地安置退休人员", end + 65, 1000)
    )
    assert chosen.value == "异地安置退休人员"
    chosen = _filing_type(
        line(first, 340, 1000, w=30 * 14), line("√", end + 3, 1000, w=30), line("异地安置退休人员", end + 75, 1000)
    )
    assert chosen.value == "异地转诊人员"


def test_an_option_spread_further_along_its_row_is_still_one_of_the_row_s_options() -> None:
    """GIVEN a row of options spread across the form, the circled last option standing a little more than a
    line height after the others THEN it is still read as the row's and chosen; GIVEN words further along
    that name no option THEN they are another cell's, and the unmarked row stays flagged."""
    first = "□异地长期居住人员 □常驻异地工作人员"
    end = 340 + 30 * len(first)
    chosen = _filing_type(line(first, 340, 1000), line("◉异地转诊人员", end + 45, 1000))
    assert (chosen.value, chosen.confidence >= 0.9) == ("异地转诊人员", True)
    unmarked = _filing_type(line(first, 340, 1000), line("职工基本医疗保险", end + 45, 1000))
    assert unmarked.confidence < 0.9


def test_an_amount_read_without_its_yuan_and_a_broken_upper_are_flagged() -> None:
    """GIVEN a carbon bill's 备注 whose 个人账户 reads .38 (its yuan lost) and whose 大写 is broken by a
    misread numeral (陆角功分), its 小写 total unread THEN the account split and the 大写 are kept below any
    clerk threshold, and the split not read (自付, its label garbled) is named in a failed check."""
    fields, checks = extracted(
        DocType.invoice,
        line("浙江省医疗收费票据（住院）", 900, 270),
        line("合计人民币(大写)", 380, 940),
        line("贰仟壹佰陆拾贰元陆角功分", 710, 930),
        line("医保统筹：1038.09个人账户.38个人自35.83个人自费：151.39", 500, 1010),
    )
    assert (fields["personal_account_paid"].value, fields["personal_account_paid"].confidence < 0.8) == ("38.00", True)
    assert fields["total_amount_upper"].confidence < 0.8
    assert fields["medical_insurance_paid"].confidence >= 0.9
    assert any(c.code == "field_unread" and c.fields == ["self_paid"] for c in checks)


def test_a_whole_upper_amount_and_a_whole_split_are_read_surely() -> None:
    """GIVEN the same bill read whole THEN nothing is flagged by these rules."""
    fields, checks = extracted(
        DocType.invoice,
        line("合计人民币(大写)", 380, 940),
        line("贰仟壹佰陆拾贰元陆角玖分", 710, 930),
        line("医保统筹：1038.09个人账户：337.38个人自付：635.83个人自费：151.39", 500, 1010),
    )
    assert fields["total_amount_upper"].confidence >= 0.9
    assert fields["personal_account_paid"].confidence >= 0.9
    assert not [c for c in checks if c.code == "field_unread"]
