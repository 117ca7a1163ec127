from __future__ import annotations

from intake.reasons import CHECK_TITLES, MESSAGES, Code, check, reason


def test_every_code_has_a_chinese_message() -> None:
    assert set(MESSAGES) == set(Code)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in MESSAGES.values())


def test_check_messages_say_pass_or_fail() -> None:
    for code in CHECK_TITLES:
        assert check(code, True).message.endswith("校验通过")
        assert check(code, False).message == MESSAGES[code]


def test_reason_detail_is_appended() -> None:
    r = reason(Code.material_missing, "出院记录", document=2)
    assert r.code == "material_missing" and r.message == "缺少申办材料：出院记录" and r.document == 2
