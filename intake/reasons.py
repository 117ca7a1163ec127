"""Stable reason codes (for machines, queues and statistics) with Chinese messages (for clerks).

Codes never change once published; messages may be reworded. Every code has a message,
which a test enforces.
"""

from __future__ import annotations

from enum import StrEnum

from intake.models import Check, Reason


class Code(StrEnum):
    # input files
    file_unreadable = "file_unreadable"
    file_encrypted = "file_encrypted"
    file_empty = "file_empty"
    file_too_large = "file_too_large"
    file_unsupported = "file_unsupported"
    too_many_pages = "too_many_pages"
    processing_error = "processing_error"
    file_symlink = "file_symlink"
    file_not_regular = "file_not_regular"
    path_outside_batch = "path_outside_batch"
    page_too_large = "page_too_large"
    # image quality gate
    image_blurred = "image_blurred"
    image_too_dark = "image_too_dark"
    image_overexposed = "image_overexposed"
    image_too_small = "image_too_small"
    page_cut_off = "page_cut_off"
    page_blank = "page_blank"
    # classification
    low_classification_confidence = "low_classification_confidence"
    unexpected_document = "unexpected_document"
    # extraction
    low_field_confidence = "low_field_confidence"
    field_missing = "field_missing"
    field_unread = "field_unread"
    self_check_failed = "self_check_failed"
    # per-field self-checks
    id_check_digit = "id_check_digit"
    id_birth_date = "id_birth_date"
    id_sex = "id_sex"
    id_valid_on_case_date = "id_valid_on_case_date"
    amount_upper_matches = "amount_upper_matches"
    invoice_splits_sum = "invoice_splits_sum"
    expense_items_sum = "expense_items_sum"
    discharge_after_admission = "discharge_after_admission"
    days_in_hospital = "days_in_hospital"
    payee_matches_seal = "payee_matches_seal"
    place_name_known = "place_name_known"
    diagnosis_stages_agree = "diagnosis_stages_agree"
    diagnoses_read_alike = "diagnoses_read_alike"
    date_after_case_date = "date_after_case_date"
    # validation against the item
    material_missing = "material_missing"
    seal_missing = "seal_missing"
    seal_kind_mismatch = "seal_kind_mismatch"
    copy_not_original = "copy_not_original"
    original_uncertain = "original_uncertain"
    name_mismatch = "name_mismatch"
    id_number_mismatch = "id_number_mismatch"
    invoice_total_mismatch = "invoice_total_mismatch"
    invoice_date_outside_stay = "invoice_date_outside_stay"
    duplicate_document = "duplicate_document"
    duplicate_invoice = "duplicate_invoice"
    review_rejected = "review_rejected"
    prohibition_hit = "prohibition_hit"
    # money and identity edge cases (extractors/normalize.py, intake/idnumber.py)
    amount_out_of_range = "amount_out_of_range"
    id_legacy_15 = "id_legacy_15"


MESSAGES: dict[Code, str] = {
    Code.file_unreadable: "文件无法读取或已损坏，请重新上传或重新扫描",
    Code.file_encrypted: "文件已加密，无法打开，请提交未加密的文件",
    Code.file_empty: "文件为空，请重新上传",
    Code.file_too_large: "文件超过大小限制，请压缩或分开提交",
    Code.file_unsupported: "不支持的文件格式，请提交 PDF、JPG、PNG、TIFF 或 BMP 文件",
    Code.too_many_pages: "文件页数超过限制，请分开提交",
    Code.processing_error: "材料处理出错，需人工处理",
    Code.file_symlink: "文件是符号链接（快捷方式），为安全起见不予读取，请提交文件本身",
    Code.file_not_regular: "不是普通文件（设备或管道等），无法读取，请提交文件本身",
    Code.path_outside_batch: "清单中的文件路径超出批次目录（绝对路径或含“..”），不予读取",
    Code.page_too_large: "页面像素过多，无法处理，请降低分辨率（如 300 dpi）后重新扫描或拍摄",
    Code.image_blurred: "图片模糊，请重新拍摄",
    Code.image_too_dark: "图片过暗，请在光线充足处重新拍摄",
    Code.image_overexposed: "图片过亮或反光，请避开强光重新拍摄",
    Code.image_too_small: "图片分辨率过低，请靠近拍摄或提高扫描分辨率",
    Code.page_cut_off: "材料边缘不完整，请将整张材料放入画面后重新拍摄",
    Code.page_blank: "页面为空白，请确认是否漏扫或放反",
    Code.low_classification_confidence: "无法确定材料类型，需人工确认",
    Code.unexpected_document: "提交了本事项不需要的材料",
    Code.low_field_confidence: "字段识别把握不大，需人工核对",
    Code.field_missing: "未能识别出必需的字段，需人工核对",
    Code.field_unread: "材料上印有此项，但未能识别出其内容，需人工核对",
    Code.self_check_failed: "字段自检未通过，需人工核对",
    Code.id_check_digit: "身份证号码校验位不正确",
    Code.id_birth_date: "出生日期与身份证号码不一致",
    Code.id_sex: "性别与身份证号码不一致",
    Code.id_valid_on_case_date: "身份证在办理日期不在有效期内",
    Code.amount_upper_matches: "大写金额与小写金额不一致",
    Code.invoice_splits_sum: "发票各支付项目之和与合计金额不一致",
    Code.expense_items_sum: "费用明细之和与清单合计不一致",
    Code.discharge_after_admission: "出院日期早于入院日期",
    Code.days_in_hospital: "住院天数与入出院日期不一致",
    Code.payee_matches_seal: "收款单位与发票印章上的单位名称不一致（有一个字不同或缺字），需人工核对",
    Code.place_name_known: "单位名称开头的地名不在全国行政区划中，且有字识别把握不大，需人工核对",
    Code.diagnosis_stages_agree: "入院诊断与出院诊断只在分期（罗马数字）上不同，可能有一处识别有误，需人工核对",
    Code.diagnoses_read_alike: "入院诊断与出院诊断只有个别字不同，可能有一处识别有误，需人工核对",
    Code.date_after_case_date: "材料上的日期晚于办理日期，不可能是已发生的日期，可能识别有误，需人工核对",
    Code.material_missing: "缺少申办材料",
    Code.seal_missing: "材料缺少要求的印章",
    Code.seal_kind_mismatch: "材料上的印章不是要求的印章，需人工确认",
    Code.copy_not_original: "要求提交原件，但提交的是复印件",
    Code.original_uncertain: "无法判断材料是否为原件，需人工确认",
    Code.name_mismatch: "不同材料上的姓名不一致",
    Code.id_number_mismatch: "不同材料上的身份证号码不一致",
    Code.invoice_total_mismatch: "发票金额与费用清单合计不一致",
    Code.invoice_date_outside_stay: "发票日期不在住院期间内",
    Code.duplicate_document: "同一材料重复提交",
    Code.duplicate_invoice: "该发票已在其他案件中提交过，需人工核实是否重复报销",
    Code.review_rejected: "经工作人员审核，不予受理",
    Code.prohibition_hit: "不符合办理条件（禁止性要求）",
    # money and identity edge cases
    Code.amount_out_of_range: "金额超出票据可打印的范围（绝对值最大 999,999,999,999.99 元），需人工核对",
    Code.id_legacy_15: "15位旧身份证号码，已按国家标准转换为18位，请核对",
}


def reason(code: Code, detail: str = "", document: int | None = None) -> Reason:
    """A reason with the code's standard message, optionally followed by a detail."""
    message = MESSAGES[code] + (f"：{detail}" if detail else "")
    return Reason(code=code.value, message=message, document=document)


CHECK_TITLES: dict[Code, str] = {
    Code.id_check_digit: "身份证号码校验位",
    Code.id_birth_date: "出生日期与身份证号码",
    Code.id_sex: "性别与身份证号码",
    Code.id_valid_on_case_date: "身份证有效期",
    Code.amount_upper_matches: "大小写金额",
    Code.invoice_splits_sum: "发票支付项目合计",
    Code.expense_items_sum: "费用明细合计",
    Code.discharge_after_admission: "入出院日期先后",
    Code.days_in_hospital: "住院天数",
    Code.payee_matches_seal: "收款单位与印章",
    Code.place_name_known: "单位名称中的地名",
    Code.diagnosis_stages_agree: "入出院诊断的分期",
    Code.diagnoses_read_alike: "入出院诊断的用字",
    Code.date_after_case_date: "日期不晚于办理日期",
    Code.page_cut_off: "页面完整性",
    # money and identity edge cases
    Code.id_legacy_15: "15位旧身份证号码",
}


def check(code: Code, ok: bool, detail: str = "", fields: list[str] | None = None) -> Check:
    """A self-check result; the message says what failed, or that it passed."""
    message = MESSAGES[code] if not ok else f"{CHECK_TITLES[code]}：校验通过"
    if detail:
        message += f"（{detail}）"
    return Check(code=code.value, ok=ok, message=message, fields=fields or [])
