"""The validator on constructed cases: each material missing in turn, alternatives, agents, forms, seals,
cross-document checks. Documents are built directly, so these tests isolate the judgement logic."""

from __future__ import annotations

import pytest

from intake.catalog import default_catalog
from intake.models import DocType, Document, Side, VerdictStatus
from intake.reasons import Code, reason
from intake.settings import Thresholds
from tests.factories import case, doc, fields, id_front, id_number, inpatient_documents
from validators.verdict import judge

INPATIENT = "zj_inpatient_reimbursement"
FUSHUN = "fushun_offsite_long_term_residence"
T = Thresholds()


def verdict_for(documents, agent=False, item=INPATIENT, **options):  # type: ignore[no-untyped-def]
    return judge(case(item, documents, agent, **options), default_catalog().find(item), T)


def test_complete_inpatient_case() -> None:
    v = verdict_for(inpatient_documents())
    assert v.status is VerdictStatus.complete, v.reasons
    assert v.missing == [] and v.reasons == []
    assert "材料齐全" in v.notice


@pytest.mark.parametrize(
    ("drop", "material"),
    [
        (DocType.invoice, "医疗费用发票原件（含电子票据）"),
        (DocType.discharge_record, "出院记录原件或复印件"),
        (DocType.expense_list, "住院费用汇总明细清单原件或复印件（加盖医院收费章）"),
    ],
)
def test_each_material_missing_in_turn(drop: DocType, material: str) -> None:
    docs = [d for d in inpatient_documents() if d.doc_type is not drop]
    v = verdict_for(docs)
    assert v.status is VerdictStatus.incomplete
    assert [m.material for m in v.missing] == [material]
    assert material in v.notice and "一次性" in v.notice


def test_identity_missing_then_alternative_social_security_card_satisfies_it() -> None:
    docs = [d for d in inpatient_documents() if d.doc_type is not DocType.id_card]
    assert verdict_for(docs).missing[0].material == "医保电子凭证或有效身份证件或社保卡"
    card = doc(DocType.social_security_card, fields=fields(name="王小明"))
    v = verdict_for([*docs, card])
    assert v.status is VerdictStatus.complete, v.reasons


def test_agent_needs_both_parties_id_cards() -> None:
    docs = inpatient_documents()
    v = verdict_for(docs, agent=True)
    assert v.status is VerdictStatus.incomplete
    assert v.missing[0].material == "委托他人办理的提供双方身份证件原件"
    agent_card = id_front("李四", id_number("330102", "19900101", "456"))
    v = verdict_for([*docs, agent_card], agent=True)
    assert v.status is VerdictStatus.complete, v.reasons


@pytest.mark.parametrize(("is_copy", "code"), [(True, "copy_not_original"), (None, "original_uncertain")])
def test_agent_id_card_must_be_an_original_too(is_copy: bool | None, code: str) -> None:
    """The applicant's original card does not make the agent's photocopied one acceptable."""
    agent_card = id_front("李四", id_number("330102", "19900101", "456")).model_copy(update={"is_copy": is_copy})
    v = verdict_for([*inpatient_documents(), agent_card], agent=True)
    assert v.status is VerdictStatus.needs_review
    assert [r.code for r in v.reasons] == [code]


def test_two_people_without_agent_flag_needs_review() -> None:
    agent_card = id_front("李四", id_number("330102", "19900101", "456"))
    v = verdict_for([*inpatient_documents(), agent_card])
    assert v.status is VerdictStatus.needs_review
    assert "name_mismatch" in {r.code for r in v.reasons}


def _unnamed_front(number: str) -> Document:
    """A card front whose name was not read (glare across it), its number read whole."""
    card = id_front("李四", number)
    return card.model_copy(update={"fields": {k: v for k, v in card.fields.items() if k != "name"}})


def test_a_second_persons_card_whose_name_was_not_read_is_still_a_second_person() -> None:
    """GIVEN the applicant's card and another card whose name was not read but whose number is valid and
    differs, without an agent WHEN judged THEN the two numbers name two people: name_mismatch."""
    v = verdict_for([*inpatient_documents(), _unnamed_front(id_number("330102", "19900101", "456"))])
    assert v.status is VerdictStatus.needs_review
    assert "name_mismatch" in {r.code for r in v.reasons}


@pytest.mark.parametrize(
    "number",
    [
        id_number(),  # the applicant's own number: the same card read twice
        id_number("330102", "19900101", "456")[:17] + "0",  # a number whose check digit fails: a misreading
    ],
)
def test_a_card_without_a_name_is_no_second_person_by_a_number_that_says_nothing(number: str) -> None:
    """GIVEN a second card front without a name whose number is the applicant's, or is not a valid number
    THEN no second person is counted from it."""
    v = verdict_for([*inpatient_documents(), _unnamed_front(number)])
    assert "name_mismatch" not in {r.code for r in v.reasons}


def test_copy_where_original_required() -> None:
    docs = inpatient_documents()
    docs[2] = docs[2].model_copy(update={"is_copy": True})
    v = verdict_for(docs)
    assert v.status is VerdictStatus.needs_review
    assert [r.code for r in v.reasons] == ["copy_not_original"]
    assert "复印件" in v.notice


def test_copy_accepted_where_seed_allows_it() -> None:
    docs = inpatient_documents()
    docs[3] = docs[3].model_copy(update={"is_copy": True})  # 出院记录原件或复印件
    assert verdict_for(docs).status is VerdictStatus.complete


def test_missing_hospital_charge_seal() -> None:
    docs = inpatient_documents()
    docs[4] = docs[4].model_copy(update={"has_seal": False})
    v = verdict_for(docs)
    assert v.status is VerdictStatus.needs_review
    assert [r.code for r in v.reasons] == ["seal_missing"]
    assert "医院收费章" in v.notice


@pytest.mark.parametrize(
    ("index", "update", "code"),
    [
        (2, {"fields": fields(payer_name="王小红", total_amount="1234.50", issue_date="2025-03-10")}, "name_mismatch"),
        (4, {"fields": fields(patient_name="王小明", total_amount="1000.00")}, "invoice_total_mismatch"),
        (
            2,
            {"fields": fields(payer_name="王小明", total_amount="1234.50", issue_date="2025-05-30")},
            "invoice_date_outside_stay",
        ),
    ],
)
def test_cross_document_mismatches(index: int, update: dict[str, object], code: str) -> None:
    docs = inpatient_documents()
    docs[index] = docs[index].model_copy(update=update)
    v = verdict_for(docs)
    assert v.status is VerdictStatus.needs_review
    assert code in {r.code for r in v.reasons}


def test_same_invoice_twice_is_a_duplicate() -> None:
    docs = inpatient_documents()
    invoice = docs[2].model_copy(
        update={
            "fields": fields(
                payer_name="王小明", total_amount="1234.50", invoice_code="33060123", invoice_number="0012345678"
            )
        }
    )
    docs[2] = invoice
    twice = invoice.model_copy(update={"source": "scan-again.jpg"})
    lst = docs[4].model_copy(update={"fields": fields(patient_name="王小明", total_amount="2469.00")})
    docs[4] = lst
    v = verdict_for([*docs, twice])
    assert "duplicate_document" in {r.code for r in v.reasons}


def test_unsure_page_is_never_forced() -> None:
    docs = inpatient_documents()
    docs[2] = docs[2].model_copy(update={"confidence": 0.4})
    v = verdict_for(docs)
    codes = {r.code for r in v.reasons}
    assert "low_classification_confidence" in codes
    assert v.status is not VerdictStatus.complete


def test_failed_self_check_blocks_complete() -> None:
    from intake.reasons import Code, check

    docs = inpatient_documents()
    docs[2] = docs[2].model_copy(update={"checks": [check(Code.amount_upper_matches, False)]})
    v = verdict_for(docs)
    assert v.status is VerdictStatus.needs_review
    assert v.reasons[0].code == "self_check_failed"


def test_unexpected_document_flagged() -> None:
    v = verdict_for([*inpatient_documents(), doc(DocType.marriage_certificate)])
    assert v.status is VerdictStatus.needs_review
    assert "unexpected_document" in {r.code for r in v.reasons}


def test_wrong_document_in_place_of_invoice() -> None:
    docs = inpatient_documents()
    docs[2] = doc(DocType.id_card, Side.back, fields=fields(valid_from="2016-01-01", valid_to="2036-01-01"))
    v = verdict_for(docs)
    assert v.status is VerdictStatus.incomplete
    assert [m.material for m in v.missing] == ["医疗费用发票原件（含电子票据）"]


def test_unreadable_file_with_a_material_missing_goes_to_a_clerk() -> None:
    """GIVEN the invoice photo failed the quality gate WHEN the invoice is therefore missing THEN the
    case is not declared incomplete on the system's word: the unreadable file may be that invoice."""
    docs = [d for d in inpatient_documents() if d.doc_type is not DocType.invoice]
    blurred = doc(DocType.other, errors=[reason(Code.image_blurred)], confidence=0.0)
    v = verdict_for([blurred, *docs])
    assert v.status is VerdictStatus.needs_review
    assert [m.material for m in v.missing] == ["医疗费用发票原件（含电子票据）"]
    assert "image_blurred" in {r.code for r in v.reasons}


def test_notice_asks_again_for_an_unusable_file() -> None:
    docs = [d for d in inpatient_documents() if d.doc_type is not DocType.invoice]
    blurred = doc(DocType.other, source="invoice.jpg", errors=[reason(Code.image_blurred, "第1页")], confidence=0.0)
    v = verdict_for([blurred, *docs])
    assert "文件「invoice.jpg」：图片模糊，请重新拍摄" in v.notice
    assert "医疗费用发票原件" in v.notice


@pytest.mark.parametrize("identity", [DocType.id_card, DocType.social_security_card])
def test_age_prohibition_read_from_any_identity_document(identity: DocType) -> None:
    """Fushun's 城乡居民 under 60: the social security card carries the same ID number as the ID card."""
    young = id_number("210402", "19900101", "456")
    card = (
        id_front("李四", young)
        if identity is DocType.id_card
        else doc(DocType.social_security_card, fields=fields(name="李四", id_number=young))
    )
    form = doc(DocType.filing_form, fields=fields(applicant_name="李四", id_number=young))
    proof = doc(DocType.residence_proof)
    v = verdict_for([card, form, proof], item=FUSHUN, resident_insurance="true")
    assert v.status is VerdictStatus.rejected
    assert v.reasons[0].code == "prohibition_hit"
    older = id_number("210402", "19500101", "456")
    form = doc(DocType.filing_form, fields=fields(applicant_name="李四", id_number=older))
    card = card.model_copy(update={"fields": {**card.fields, **fields(id_number=older)}})
    assert verdict_for([card, form, proof], item=FUSHUN, resident_insurance="true").status is not (
        VerdictStatus.rejected
    )


@pytest.mark.parametrize(
    ("texts", "codes"),
    [
        (["杭州市第一人民医院 收费专用章"], []),
        (["杭州市医疗保障局 业务专用章"], ["seal_kind_mismatch"]),
        (["杭州市医疗保障局 业务专用章", "杭州市第一人民医院 收费专用章"], []),
        (["收价专用"], []),  # purpose not read: no judgement from it
        (["杭州市第一人民医院 收价专用章"], []),
    ],
)
def test_seal_text_tells_a_charge_seal_from_another(texts: list[str], codes: list[str]) -> None:
    docs = inpatient_documents()
    docs[4] = docs[4].model_copy(update={"has_seal": True, "seal_texts": texts})
    v = verdict_for(docs)
    assert [r.code for r in v.reasons] == codes
    assert v.status is (VerdictStatus.needs_review if codes else VerdictStatus.complete)


def test_a_card_whose_holder_was_not_read_may_be_the_other_party() -> None:
    """GIVEN an agent's case with two ID card fronts, one whose name and number were not read (a watermark
    across them) WHEN the 双方身份证件 material counts people THEN it cannot tell whether that card is the
    other party's: the case goes to a clerk with the material listed, not back to the applicant as incomplete.
    With one card only, the other party's card is plainly missing."""
    unread = doc(DocType.id_card, Side.front, source="agent_id_front.jpg", fields=fields(address="浙江省杭州市"))
    v = verdict_for([*inpatient_documents(), unread], agent=True)
    assert v.status is VerdictStatus.needs_review
    assert [m.material for m in v.missing] == ["委托他人办理的提供双方身份证件原件"]
    alone = [d for d in inpatient_documents() if d.doc_type is not DocType.id_card]
    assert verdict_for([*alone, unread], agent=True).status is VerdictStatus.incomplete


def test_a_page_of_unsure_type_may_be_the_missing_agent_card() -> None:
    """GIVEN an agent's case whose agent ID front was read as `other` at 0.50 (below the classification
    threshold) WHEN the 双方身份证件 material therefore counts one person short THEN the case goes to a clerk
    (that page may be the card), not back to the applicant as incomplete; a page confidently of another
    type leaves it incomplete."""
    unsure = doc(DocType.other, source="agent_id_front.jpg", confidence=0.5)
    v = verdict_for([*inpatient_documents(), unsure], agent=True)
    assert v.status is VerdictStatus.needs_review
    assert [m.material for m in v.missing] == ["委托他人办理的提供双方身份证件原件"]
    assert "low_classification_confidence" in {r.code for r in v.reasons}
    sure = doc(DocType.marriage_certificate, confidence=0.97)
    assert verdict_for([*inpatient_documents(), sure], agent=True).status is VerdictStatus.incomplete


def _agent_card(back_is_copy: bool) -> list[Document]:
    """The agent's card: an original front, and its back (no name: it goes with the front before it)."""
    front = id_front("李四", id_number("330102", "19900101", "456"))
    back = doc(DocType.id_card, Side.back, fields=fields(valid_from="2018-01-01", valid_to="2038-01-01"))
    return [front, back.model_copy(update={"is_copy": back_is_copy})]


def test_a_card_side_shown_only_as_a_copy_is_no_original() -> None:
    """GIVEN an agent's card whose front is an original and whose back is a copy (a print or photocopy)
    WHEN judged where both parties' originals are required THEN the back was not presented as the card's
    own: copy_not_original, not complete."""
    v = verdict_for([*inpatient_documents(), *_agent_card(back_is_copy=True)], agent=True)
    assert v.status is VerdictStatus.needs_review
    assert [r.code for r in v.reasons] == ["copy_not_original"]


def test_an_extra_copy_beside_the_original_side_takes_nothing_away() -> None:
    """GIVEN both parties' original cards and, besides, a photocopy of the agent's front THEN complete."""
    agent = _agent_card(back_is_copy=False)
    extra = agent[0].model_copy(update={"is_copy": True})
    v = verdict_for([*inpatient_documents(), *agent, extra], agent=True)
    assert v.status is VerdictStatus.complete, v.reasons
