"""One person's name read in several forms of its interpunct is one name; two people's names never match.

Names here are constructed (a minority name of parts joined by ·), no real person's."""

from __future__ import annotations

import pytest

from intake.catalog import default_catalog
from intake.models import DocType, VerdictStatus
from intake.settings import Thresholds
from tests.factories import case, doc, fields, id_front, id_number, inpatient_documents
from validators.materials import person_key
from validators.names import canonical_name, distinct_names, same_name
from validators.verdict import judge

INPATIENT = "zj_inpatient_reimbursement"
LONG = "阿力木·吐尔逊"


@pytest.mark.parametrize("form", ["·", "・", "•", "‧", ".", "．", "-", "－", " · ", "･"])
def test_every_interpunct_form_reads_as_one(form: str) -> None:
    assert canonical_name(f"阿力木{form}吐尔逊") == LONG
    assert same_name(f"阿力木{form}吐尔逊", LONG)


def test_a_reading_without_the_dot_is_the_same_name() -> None:
    assert same_name("阿力木吐尔逊", LONG)
    assert same_name(LONG, "阿力木吐尔逊")


@pytest.mark.parametrize(
    "other",
    [
        "阿力木",  # the first part alone: cut at a line wrap, or another holder of that given name
        "阿力木·吐尔",  # the second part cut short
        "阿力木·吐尔洪",  # one character differs
        "阿力·木吐尔逊",  # both kept a dot, in different places
        "吐尔逊·阿力木",  # the parts in the other order
        "阿力木吐尔洪",  # dot dropped and a character differs
        "",
    ],
)
def test_a_different_name_never_matches(other: str) -> None:
    assert not same_name(other, LONG)
    assert not same_name(LONG, other)


def test_distinct_names_keeps_the_first_reading_of_each_name() -> None:
    assert distinct_names([LONG, "阿力木•吐尔逊", "阿力木吐尔逊", "王小明"]) == [LONG, "王小明"]


def test_person_key_is_one_for_every_form_of_a_name() -> None:
    readings = (LONG, "阿力木・吐尔逊", "阿力木吐尔逊")
    keys = {person_key(doc(DocType.invoice, fields=fields(payer_name=n))) for n in readings}
    assert len(keys) == 1


def _verdict(documents, agent=False):  # type: ignore[no-untyped-def]
    return judge(case(INPATIENT, documents, agent), default_catalog().find(INPATIENT), Thresholds())


@pytest.mark.parametrize("reading", ["阿力木•吐尔逊", "阿力木.吐尔逊", "阿力木吐尔逊"])
def test_case_with_the_name_read_in_another_form_is_complete(reading: str) -> None:
    """GIVEN a card printing 阿力木·吐尔逊 and an invoice reading the name with another dot or none,
    WHEN the case is judged, THEN it is one person: complete."""
    docs = inpatient_documents(LONG)
    docs[2] = docs[2].model_copy(update={"fields": {**docs[2].fields, **fields(payer_name=reading)}})
    v = _verdict(docs)
    assert v.status is VerdictStatus.complete, v.reasons


@pytest.mark.parametrize("reading", ["阿力木", "阿力木·吐尔洪", "王小明"])
def test_case_with_another_persons_name_still_mismatches(reading: str) -> None:
    docs = inpatient_documents(LONG)
    docs[2] = docs[2].model_copy(update={"fields": {**docs[2].fields, **fields(payer_name=reading)}})
    v = _verdict(docs)
    assert v.status is VerdictStatus.needs_review
    assert "name_mismatch" in {r.code for r in v.reasons}


def test_two_readings_of_one_card_are_not_two_people() -> None:
    """The same card's front read twice, the dot kept once and dropped once, is not a second person."""
    docs = [*inpatient_documents(LONG), id_front("阿力木吐尔逊")]
    assert "name_mismatch" not in {r.code for r in _verdict(docs).reasons}


def test_an_agents_card_is_still_a_second_person() -> None:
    docs = [*inpatient_documents(LONG), id_front("阿力木·吐尔洪", id_number("330102", "19900101", "456"))]
    v = _verdict(docs)
    assert "name_mismatch" in {r.code for r in v.reasons}
