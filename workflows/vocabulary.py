"""Names of things and their Chinese labels, in one place for the UI, API and exports."""

from __future__ import annotations

# Roles
ADMIN = "admin"
REVIEWER = "reviewer"
DISPATCHER = "dispatcher"
UNIT_HANDLER = "unit_handler"
UNIT_LEADER = "unit_leader"
SYSTEM = "system"
# The writer of a letter on the public site: nobody logged in, who proved the letter is theirs.
CITIZEN = "citizen"

OFFICE_ROLES = frozenset({ADMIN, REVIEWER, DISPATCHER})
UNIT_ROLES = frozenset({UNIT_HANDLER, UNIT_LEADER})
ROLES = {
    ADMIN: "电子政务办公室管理员",
    REVIEWER: "审核员",
    DISPATCHER: "派单员",
    UNIT_HANDLER: "承办人",
    UNIT_LEADER: "分管领导",
}

STATES = {
    "opened": "待派单",
    "assigned": "办理中",
    "suspended": "中止办理",
    "approving": "待领导审签",
    "replied": "待审核",
    "returned": "退回重办",
    "reviewed": "审核通过",
    "closed": "已办结",
}
# The unit's clock runs in these states; a deadline can pass only here.
CLOCK_RUNNING = frozenset({"assigned", "returned", "approving"})
# The clock is paused here; its due date still moves with the calendar.
SUSPENDED_CLOCK = frozenset({"suspended"})
# Waiting on the unit (its inbox "待办").
UNIT_TODO = frozenset({"assigned", "returned", "approving", "suspended"})
OPEN_STATES = frozenset(STATES) - {"closed"}

CASE_TYPES = {"letter": "信件", "finding": "整改", "policy": "政策解读"}
NUMBER_PREFIX = {"letter": "XJ", "finding": "ZG", "policy": "JD"}

LETTER_CATEGORIES = {
    "consultation": "咨询",
    "help": "求助",
    "complaint": "投诉",
    "report": "举报",
    "suggestion": "建议",
    "urgent": "紧急",
}
CHANNELS = {
    "web": "市长信箱（网站）",
    "phone": "12345 便民热线",
    "zhaocuo": "我为政府网站找错",
    "inspection": "网站与新媒体检查",
    "other": "其他",
}

UNIT_KINDS = {
    "county": "县区人民政府",
    "department": "市政府工作部门",
    "party_mass": "党群机关",
    "township": "乡镇（街道）",
    "other": "其他",
}
# 基层: units a city department's matter may not be pushed down to (国办函〔2025〕66号).
GRASSROOTS_KINDS = frozenset({"county", "township"})

# 回访: what the 12345 centre records when it calls the writer back.
CALL_REACHED = {"reached": "已接通", "unreached": "未接通"}
CALL_RESOLVED = {"resolved": "已解决", "unresolved": "未解决"}
CALL_SATISFACTION = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}
CALLBACK_STATUS = {"due": "待回访", "done": "已回访", "unreachable": "联系不上", "reopened": "已重办"}
BASIS_KINDS = {"sanding": "三定规定", "document": "文件"}

RETURN_REASONS = {
    "off_topic": "答非所问",
    "buck_passing": "推诿敷衍",
    "cold": "生硬冷漠",
    "offensive": "雷人雷语",
    "privacy_leak": "泄露个人隐私",
    "other": "其他",
}
DISMISS_REASONS = {
    "spam": "垃圾信息",
    "invalid": "无效诉求",
    "out_of_scope": "不属于受理范围",
    "other": "其他",
}

# Kinds of in-app notice; each user chooses which of them also reach them by e-mail.
NOTICE_KINDS = {
    "assigned": "新派单",
    "finding": "整改任务派发",
    "co_assigned": "协办任务",
    "returned": "发回重办",
    "approval": "待领导审签",
    "rejected": "单位退单",
    "rejection_refused": "退单被驳回",
    "extension_requested": "延期申请",
    "extension_decided": "延期审批结果",
    "reminder": "即将到期",
    "overdue": "已超期",
    "escalated": "列入督办",
    "co_reminder": "协办意见即将到期",
    "co_overdue": "协办意见已超期",
}
# What the dispatcher decided about a unit's 退单 (派单异议).
DISPUTE_DECISIONS = {"reassigned": "改派", "refused": "驳回退单", "lapsed": "退单申请终止"}
