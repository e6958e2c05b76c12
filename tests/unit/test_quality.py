import pytest

from casework.services.quality import flags

QUESTION = "城关镇自来水频繁停水\n我家住城关镇新桥社区，近一个月已经停水四次，每次都没有提前通知。请问什么时候能恢复正常供水？"


def kinds(reply, **kw):
    return [f["kind"] for f in flags(QUESTION, reply, phrases=["无可奉告", "爱找谁找谁"], **kw)]


def test_a_good_reply_has_no_flags():
    reply = ("您好！经核实，城关镇新桥社区停水系供水管网老化爆管所致，水务公司已于本月 20 日更换管道，"
             "目前已恢复正常供水。今后计划停水将提前三天在社区公告栏通知。")
    assert kinds(reply) == []


@pytest.mark.parametrize("reply, expected", [
    ("已转交相关部门，请耐心等待。", ["buck_passing"]),
    ("您好，谢谢。", ["buck_passing"]),
    # Stock phrases only, long enough to pass the length check: still says nothing.
    ("您好，您反映的问题已收到，我们会尽快处理。", ["buck_passing", "off_topic"]),
    ("您好！您的来信已收悉，我们高度重视，将认真研究，尽快答复。特此答复。", ["buck_passing", "off_topic"]),
    ("此事无可奉告，不属于我们管辖范围，请你去其他地方咨询吧，谢谢理解。", ["offensive", "off_topic"]),
    ("感谢您对我们工作的支持，我们将继续努力提升营商环境，优化审批流程，提高办事效率。", ["off_topic"]),
])
def test_flags(reply, expected):
    assert kinds(reply) == expected


def test_personal_data_in_the_reply():
    reply = "王先生您好，已安排维修人员与您（13909150001）联系，城关镇新桥社区停水问题将在本周内解决完毕。"
    assert kinds(reply, names=("王先生",), phones=("13909150001",)) == ["privacy_leak"]
