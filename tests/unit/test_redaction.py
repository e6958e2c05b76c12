"""Masking personal data in realistic Chinese text."""

import pytest

from casework.redaction import luhn, redact, valid_resident_id

VALID_ID = "11010519491231002X"  # the worked example of GB 11643-1999


def test_resident_id_checksum_and_birth_date():
    assert valid_resident_id(VALID_ID)
    assert valid_resident_id(VALID_ID.lower())
    assert not valid_resident_id("110105194912310021")   # wrong check digit
    assert not valid_resident_id("110105194913310028")   # month 13
    assert not valid_resident_id("11010519491231002")    # 17 digits


def test_luhn():
    assert luhn("4111 1111 1111 1111") and not luhn("4111 1111 1111 1112")


@pytest.mark.parametrize("text, kind, gone, kept", [
    (f"本人身份证号{VALID_ID}，户籍在汉滨区。", "id_card", VALID_ID, "110"),
    ("快递单号110105194912310021请核实", None, None, "110105194912310021"),  # not an ID: left alone
    ("请拨打13912345678联系我，谢谢！", "mobile", "13912345678", "139****5678"),
    ("我的电话是 139 1234 5678。", "mobile", "139 1234 5678", "139"),
    ("单位电话0915-3212345，上班时间可以打。", "landline", "0915-3212345", "0915"),
    ("来函请寄 zhang.san@example.com 邮箱", "email", "zhang.san@example.com", "z***@example.com"),
    ("工资打到卡号4111111111111111上了", "bank_card", "4111111111111111", "****1111"),
    ("订单号4111111111111112不是卡号", None, None, "4111111111111112"),
    ("车牌号陕G12345的车辆长期占道", "plate", "陕G12345", "陕G*****"),
    ("新能源车陕GD12345停在消防通道", "plate", "陕GD12345", "陕G*****"),
])
def test_masking_inside_sentences(text, kind, gone, kept):
    masked, found = redact(text)
    assert kept in masked
    if kind:
        assert gone not in masked and [f.kind for f in found] == [kind]
    else:
        assert found == [] and masked == text


def test_the_citizens_own_name_and_phone():
    text = "王建国反映：王建国家门口路灯不亮，联系电话 0915-3212345 或 13912345678。"
    masked, found = redact(text, names=("王建国",), phones=("13912345678",))
    assert "王建国" not in masked and "王某某" in masked
    assert "13912345678" not in masked and "3212345" not in masked
    assert {f.kind for f in found} == {"name", "mobile", "landline"}


def test_a_paragraph_with_everything():
    text = (f"您好，我叫李四，身份证{VALID_ID}，手机15809151234，邮箱lisi@qq.com，"
            "车牌陕G88888，社保卡4111111111111111，请尽快处理。")
    masked, found = redact(text, names=("李四",))
    for secret in (VALID_ID, "15809151234", "lisi@qq.com", "陕G88888", "4111111111111111", "李四"):
        assert secret not in masked
    assert len(found) == 6
