"""Which weak or missing fields hold a case: those a check of the case reads (names, ID numbers, amounts,
dates, the address where a household prohibition reads it), not those only recorded (an ID card's
ethnicity, a filing form's title). Documents are built directly: these isolate the judgement."""

from __future__ import annotations

import pytest

from intake.catalog import default_catalog
from intake.models import DocType, Document, ExtractedField, VerdictStatus
from intake.reasons import Code, check
from intake.settings import Thresholds
from tests.factories import case, doc, fields, id_front, id_number, inpatient_documents
from validators.verdict import judge

INPATIENT = "zj_inpatient_reimbursement"
FUSHUN = "fushun_offsite_long_term_residence"
HZ_LONG_STAY = "hz_kfq_long_stay_filing"
T = Thresholds()


def verdict_for(documents: list[Document], item: str = INPATIENT, **options: str):  # type: ignore[no-untyped-def]
    return judge(case(item, documents, False, **options), default_catalog().find(item), T)


def weak(document: Document, name: str, value: str = "x") -> Document:
    """The document with `name` read at a confidence below the clerk threshold."""
    unsure = ExtractedField(value=value, confidence=T.min_field_confidence - 0.2, page=1, bbox=(0, 0, 10, 10))
    return document.model_copy(update={"fields": {**document.fields, name: unsure}})


def fushun_documents() -> list[Document]:
    number = id_number("210402", "19500101", "456")
    return [
        id_front("李四", number),
        doc(
            DocType.filing_form, fields=fields(applicant_name="李四", id_number=number, filing_type="异地长期居住人员")
        ),
        doc(DocType.residence_proof),
    ]


@pytest.mark.parametrize(("index", "name"), [(0, "ethnicity"), (0, "sex"), (0, "address"), (1, "form_title")])
def test_a_field_no_check_reads_does_not_hold_the_case(index: int, name: str) -> None:
    docs = fushun_documents()
    docs[index] = weak(docs[index], name)
    v = verdict_for(docs, item=FUSHUN)
    assert v.status is VerdictStatus.complete, v.reasons


@pytest.mark.parametrize(
    ("index", "name"),
    [
        (0, "name"),
        (0, "id_number"),
        (1, "applicant_name"),
        (1, "id_number"),
        (1, "signature_present"),
        (1, "filing_type"),
    ],
)
def test_a_field_a_check_reads_still_holds_it(index: int, name: str) -> None:
    docs = fushun_documents()
    docs[index] = weak(docs[index], name, str(docs[index].fields[name].value) if name in docs[index].fields else "x")
    v = verdict_for(docs, item=FUSHUN)
    assert v.status is VerdictStatus.needs_review
    assert Code.low_field_confidence.value in {r.code for r in v.reasons}


@pytest.mark.parametrize("name", ["payer_name", "total_amount", "issue_date", "payee", "check_code"])
def test_every_invoice_field_holds_it(name: str) -> None:
    """Money documents: every field read unsurely goes to a clerk, whether or not a rule compares it."""
    docs = inpatient_documents()
    docs[2] = weak(docs[2], name, str(docs[2].fields[name].value) if name in docs[2].fields else "x")
    assert verdict_for(docs).status is VerdictStatus.needs_review


def test_the_address_holds_it_where_a_household_prohibition_reads_it() -> None:
    item = default_catalog().find(HZ_LONG_STAY)
    assert any(rule.check.value == "household_outside" for rule in item.prohibitions)
    card = weak(id_front("王小明", address="浙江省杭州市西湖区文三路1号"), "address", "浙江省杭州市西湖区文三路1号")
    v = judge(case(HZ_LONG_STAY, [card]), item, T)
    assert Code.low_field_confidence.value in {r.code for r in v.reasons}


def test_a_missing_field_holds_it_only_where_a_check_reads_it() -> None:
    """GIVEN an ID card whose sex was not read WHEN judged THEN nothing holds the case (the number says it);
    a card whose name was not read, or whose printed sex disagrees with the number, still goes to a clerk."""
    docs = fushun_documents()
    no_sex = docs[0].model_copy(update={"checks": [check(Code.field_missing, False, "性别", fields=["sex"])]})
    assert verdict_for([no_sex, *docs[1:]], item=FUSHUN).status is VerdictStatus.complete
    no_name = docs[0].model_copy(update={"checks": [check(Code.field_missing, False, "姓名", fields=["name"])]})
    assert verdict_for([no_name, *docs[1:]], item=FUSHUN).status is VerdictStatus.needs_review
    disagrees = docs[0].model_copy(update={"checks": [check(Code.id_sex, False, "性别", fields=["sex"])]})
    assert verdict_for([disagrees, *docs[1:]], item=FUSHUN).status is VerdictStatus.needs_review


def _with_hospital(documents: list[Document], index: int, hospital: str, confidence: float = 0.99) -> Document:
    found = ExtractedField(value=hospital, confidence=confidence, page=1, bbox=(0, 0, 10, 10))
    document = documents[index]
    return document.model_copy(update={"fields": {**document.fields, "hospital": found}})


def test_a_payee_guessed_unsurely_is_borne_out_by_the_stays_record_naming_the_same_hospital() -> None:
    """GIVEN a bill whose payee was read unsurely (a guess from its letterhead) and the discharge record of
    the stay naming the same hospital, read surely THEN the payee does not hold the case. GIVEN the record
    naming another hospital, or the same one read unsurely THEN it does."""
    docs = inpatient_documents()
    docs[2] = weak(docs[2], "payee", "杭州市第一人民医院")
    docs[3] = _with_hospital(docs, 3, "杭州市第一人民医院")
    assert verdict_for(docs).status is VerdictStatus.complete
    docs[3] = _with_hospital(docs, 3, "杭州市第二人民医院")
    assert any(r.code == Code.low_field_confidence for r in verdict_for(docs).reasons)
    docs[3] = _with_hospital(docs, 3, "杭州市第一人民医院", confidence=T.min_field_confidence - 0.1)
    assert any(r.code == Code.low_field_confidence for r in verdict_for(docs).reasons)
