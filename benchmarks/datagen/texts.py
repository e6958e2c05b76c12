"""Letters and their published answers as a city's hotline writes them: a place, a matter
and what went wrong, answered by the responsible department with what it did. Enough
variety (~25 matters × objects × problems × 80 streets, several reply forms) that search
over a million answers meets realistic term frequencies, not a handful of repeated rows.

Texts are composed column-wise with numpy; their jieba terms are computed once per
distinct part (jieba splits at punctuation, so the terms of "part1，part2" are the terms
of the parts), which keeps a million rows to seconds of segmentation."""

from __future__ import annotations

import re
from functools import cache

import numpy as np

COUNTIES = ["汉滨区", "汉阴县", "石泉县", "宁陕县", "紫阳县", "岚皋县", "平利县", "镇坪县", "旬阳市", "白河县"]
STREETS = ["城关镇", "江北街道", "新城街道", "老城街道", "建民街道", "五里镇", "大河镇", "洞河镇"]
# (category, department, objects, problems, actions, followups)
MATTERS = [
    ("complaint", "水利局", ["自来水", "供水管网", "小区水表"], ["频繁停水", "水压太低", "水质发黄", "管道漏水"],
     ["已组织供水公司抢修更换老化管段", "已督促供水企业增设加压设备", "已对管网进行冲洗并抽检水质"],
     ["停水前将提前24小时公告", "水质检测结果符合国家标准"]),
    ("complaint", "住房和城乡建设局", ["小区供暖", "集中供热", "暖气片"], ["温度不达标", "迟迟不供热", "暖气不热"],
     ["已责成供热企业排查二次管网", "已安排技术人员入户测温", "已对楼栋阀门进行平衡调节"],
     ["室温低于18摄氏度可申请退费", "供热期内24小时受理报修"]),
    ("complaint", "城市管理执法局", ["夜市摊点", "流动摊贩", "沿街商铺"], ["占道经营", "油烟扰民", "噪音扰民"],
     ["执法队员已现场劝导并规范经营时间", "已依法查处并责令整改", "已将该路段纳入重点巡查"],
     ["如再发生可随时拨打12345反映", "将持续开展夜间巡查"]),
    ("report", "城市管理执法局", ["楼顶", "小区绿地", "一楼院子"], ["私搭乱建", "违法建设", "圈占公共绿地"],
     ["已下达限期拆除通知书", "已组织拆除违法建筑", "已立案调查"], ["拆除后将恢复原状", "对拒不整改的将依法强制拆除"]),
    ("consultation", "教育局", ["随迁子女", "适龄儿童", "转学学生"], ["入学报名", "学籍转入", "划片入学"],
     ["需持居住证、房屋租赁合同和户口簿到片区学校报名", "按照相对就近原则由教育局统筹安排学位",
      "可在开学前两周到学校教务处办理转入手续"], ["具体时间以当年招生公告为准", "可关注教育局官网招生专栏"]),
    ("consultation", "民政局", ["最低生活保障", "特困人员供养", "临时救助"], ["申请条件", "审批进度", "救助标准"],
     ["向户籍所在地镇政府或街道办事处提交书面申请", "经入户调查和民主评议后公示七天", "标准按城乡低保线分类施保"],
     ["审批结果将在二十个工作日内告知", "可到社区服务中心咨询"]),
    ("consultation", "医疗保障局", ["异地就医", "门诊慢特病", "城乡居民医保"], ["备案办理", "报销比例", "缴费标准"],
     ["可通过国家医保服务平台APP线上备案", "备案后在定点医院直接结算", "按当年筹资标准缴纳个人部分"],
     ["未备案的可回参保地手工报销", "具体以医保经办机构政策解读为准"]),
    ("consultation", "人力资源和社会保障局", ["养老保险", "失业保险金", "社保卡"], ["缴费年限", "领取条件", "补办挂失"],
     ["累计缴费满十五年可按月领取基本养老金", "非本人意愿中断就业且已办理失业登记可申领", "可携身份证到合作银行网点补卡"],
     ["可在社保经办大厅查询个人权益记录", "补卡一般七个工作日内完成"]),
    ("help", "人力资源和社会保障局", ["工地", "餐馆", "装修公司"], ["拖欠工资", "不签劳动合同", "不缴社保"],
     ["劳动保障监察大队已约谈用人单位", "已责令用人单位限期支付", "已立案并进入调查程序"],
     ["款项已于本月支付到位", "也可向劳动人事争议仲裁委员会申请仲裁"]),
    ("consultation", "公安局", ["户口迁移", "居民身份证", "居住证"], ["办理材料", "补办流程", "办理时限"],
     ["需携带户口簿和准迁证明到派出所户籍窗口办理", "可在任一派出所申请补领，十五个工作日内制证",
      "连续居住半年以上可申领居住证"], ["急需用证可申请临时身份证", "可在政务服务网预约办理"]),
    ("complaint", "交通运输局", ["公交线路", "出租车", "网约车"], ["班次太少", "拒载绕路", "车辆脏乱"],
     ["已要求公交公司高峰时段加密班次", "已约谈涉事企业并处罚驾驶员", "已将该线路纳入优化方案"],
     ["新调整方案将于下月实施", "乘客可保留票据以便核查"]),
    ("complaint", "住房和城乡建设局", ["小区物业", "电梯", "地下车库"], ["服务不到位", "经常故障", "积水严重"],
     ["已约谈物业服务企业限期整改", "已督促维保单位全面检修", "已协调开发商维修排水设施"],
     ["业主可通过业委会依法更换物业", "整改情况将纳入物业信用评价"]),
    ("complaint", "生态环境局", ["化工厂", "养殖场", "砂石厂"], ["排放异味", "污水直排", "粉尘污染"],
     ["执法人员已现场采样监测", "已责令停产整改并立案处罚", "已督促企业安装在线监测设备"],
     ["监测结果将在官网公开", "将加密夜间巡查频次"]),
    ("complaint", "市场监督管理局", ["超市", "药店", "早餐店"], ["销售过期食品", "价格欺诈", "无证经营"],
     ["执法人员已对涉事商户立案调查", "已没收过期商品并处以罚款", "已责令其停止经营并办理许可"],
     ["消费者可凭小票申请退赔", "欢迎继续监督"]),
    ("suggestion", "交通运输局", ["学校门口", "医院周边", "新建小区"], ["增设公交站点", "增设红绿灯", "增设停车位"],
     ["已列入明年交通设施建设计划", "经现场勘查已启动设计", "已转交公安交警部门研究"],
     ["感谢您对城市建设的关心", "建设进度将在官网公布"]),
    ("complaint", "住房和城乡建设局", ["市政道路", "人行道", "下水井盖"], ["坑洼不平", "破损塌陷", "丢失缺损"],
     ["已安排养护单位修补路面", "已设置警示标志并完成维修", "已补装井盖并加装防坠网"],
     ["雨季将加强巡查", "如发现新的隐患请及时反映"]),
    ("complaint", "住房和城乡建设局", ["路灯", "景观灯", "小区照明"], ["不亮", "白天常亮", "线路老化"],
     ["已安排路灯所更换灯具", "已调整控制时间", "已更换老化电缆"], ["维修后已恢复正常照明", "将定期巡检"]),
    ("help", "民政局", ["独居老人", "残疾人", "困难家庭"], ["无人照料", "生活困难", "住房漏雨"],
     ["社区已安排网格员定期上门探视", "已纳入临时救助并发放救助金", "已协调危房改造资金予以维修"],
     ["可申请居家养老服务补贴", "后续将持续跟踪帮扶"]),
    ("consultation", "住房公积金中心", ["住房公积金", "公积金贷款", "租房提取"], ["提取条件", "贷款额度", "办理进度"],
     ["购买自住住房可申请提取", "贷款额度按账户余额和缴存年限计算", "资料齐全的五个工作日内办结"],
     ["可通过公积金APP线上办理", "详细政策见中心官网办事指南"]),
    ("consultation", "自然资源局", ["不动产登记", "房产证", "宅基地"], ["办理时限", "过户材料", "确权登记"],
     ["一般登记五个工作日内办结", "需买卖双方携身份证和不动产权证书到登记大厅", "按照房地一体确权登记政策办理"],
     ["可在不动产登记中心预约", "材料清单见政务服务网"]),
    ("complaint", "卫生健康委员会", ["社区医院", "县医院", "卫生院"], ["服务态度差", "排队时间长", "乱收费"],
     ["已责成涉事医院调查处理", "已优化挂号和取药流程", "经核查已退还多收费用"],
     ["相关人员已被批评教育", "欢迎监督医疗服务"]),
    ("consultation", "退役军人事务局", ["退役军人", "伤残军人", "军属"], ["优待政策", "抚恤标准", "安置就业"],
     ["可凭优待证享受公共交通等优待", "抚恤金按国家标准按月发放", "可参加专场招聘和技能培训"],
     ["详情可咨询县区退役军人服务站", "政策文件已在官网公开"]),
    ("complaint", "农业农村局", ["农资店", "合作社", "农村道路"], ["销售假种子", "拖欠土地流转费", "雨后冲毁"],
     ["已抽检种子并立案查处", "已协调合作社限期支付", "已安排资金修复道路"],
     ["受损农户可申请赔偿", "将加强农资市场监管"]),
    ("urgent", "应急管理局", ["山体", "加油站", "老旧楼房"], ["滑坡隐患", "违规储存", "墙体开裂"],
     ["已组织专家现场排查并设置警戒", "已责令立即停业整改", "已组织住户临时转移"],
     ["隐患消除前将持续监测", "如遇险情请拨打119或110"]),
]
REPLY_FORMS = ["您好，您反映的{subject}问题收悉。经{dept}核实，{action}，{followup}。感谢您的监督。",
               "来信人您好：关于{subject}的问题，{dept}高度重视，{action}。{followup}。",
               "您好！收到您关于{subject}的来信后，{dept}立即安排人员调查处理，{action}，{followup}。"]
BODY_FORMS = ["我是{county}{street}的居民，{subject}，{detail}，希望有关部门尽快处理。",
              "{county}{street}这边{subject}，{detail}，请帮忙协调解决。",
              "反映一下{county}{street}{subject}的情况，{detail}，盼回复。"]
DETAILS = ["已经持续一个多月了", "多次找过社区没有结果", "给生活带来很大不便", "周边群众意见很大",
           "打电话咨询也没说清楚", "家里老人孩子都受影响", "不知道该找哪个部门"]


class Texts:
    """One row per letter: subject, body, public reply, department, and their terms."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        combos = [(m, o, p) for m, spec in enumerate(MATTERS) for o in range(len(spec[2])) for p in range(len(spec[3]))]
        self.combos = np.array(combos)

    def rows(self, n: int) -> dict[str, np.ndarray]:
        rng = self.rng
        pick = self.combos[rng.integers(0, len(self.combos), n)]
        county = rng.integers(0, len(COUNTIES), n)
        street = rng.integers(0, len(STREETS), n)
        form = rng.integers(0, len(REPLY_FORMS), n)
        body_form = rng.integers(0, len(BODY_FORMS), n)
        detail = rng.integers(0, len(DETAILS), n)
        action = rng.integers(0, 3, n)
        follow = rng.integers(0, 2, n)
        keys = np.stack([pick[:, 0], pick[:, 1], pick[:, 2], county, street, form, body_form, detail,
                         action, follow], axis=1)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        made = [_compose(*map(int, k)) for k in uniq]
        out = {}
        for i, name in enumerate(("subject", "body", "reply", "category", "topic", "area",
                                  "subject_terms", "body_terms", "answer_body_terms")):
            out[name] = np.array([m[i] for m in made], dtype=object)[inverse.ravel()]
        return out


_PUNCT = re.compile(r"[，。！：；？、]")


def _terms(text: str) -> str:
    """index_terms(text), by parts: jieba cuts each run between punctuation on its own."""
    return " ".join(t for part in _PUNCT.split(text) if (t := _part_terms(part)))


@cache
def _part_terms(part: str) -> str:
    from casework.search.text import index_terms
    return " ".join(index_terms(part))


@cache
def _topic(subject: str) -> str | None:
    from casework.search.text import topic
    return topic(subject)


def _compose(m, o, p, county, street, form, body_form, detail, action, follow):
    category, dept, objects, problems, actions, followups = MATTERS[m]
    subject = f"{COUNTIES[county]}{STREETS[street]}{objects[o]}{problems[p]}"
    body = BODY_FORMS[body_form].format(county=COUNTIES[county], street=STREETS[street],
                                        subject=f"{objects[o]}{problems[p]}", detail=DETAILS[detail])
    reply = REPLY_FORMS[form].format(subject=f"{objects[o]}{problems[p]}", dept=f"{COUNTIES[county]}{dept}",
                                     action=actions[action % len(actions)], followup=followups[follow % len(followups)])
    return (subject, body, reply, category, _topic(f"{objects[o]}{problems[p]}"), COUNTIES[county],
            _terms(subject), _terms(body), f"{_terms(body)} {_terms(reply)}")
