"""Demo content: Ankang's units (from the real 2020 Q1 inspection table) and letters
written the way citizens write them. Names and phone numbers are invented."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources

# Units that own no website in the table but receive letters in the demo.
EXTRA_UNITS = (
    ("hanyin", "汉阴县人民政府", "county"),
    ("shiquan", "石泉县人民政府", "county"),
    ("pingli", "平利县人民政府", "county"),
    ("langao", "岚皋县人民政府", "county"),
    ("zhenping", "镇坪县人民政府", "county"),
    ("xunyang", "旬阳市人民政府", "county"),
    ("zrzyj", "安康市自然资源局", "department"),
    ("xfj", "安康市信访局", "department"),
    ("jyj", "安康市教育局", "department"),
    ("wjw", "安康市卫生健康委员会", "department"),
)
# Sub-units in the table whose parent is another row.
PARENTS = {"hjj": "gaj"}
# The units of the real 2020 Q1 new-media table (附件 2): (code, name, short name, parent).
MEDIA_UNITS = (
    ("gjjzx", "安康市住房公积金中心", "市住房公积金中心", None),
    ("sqfp", "石泉县扶贫开发局", None, "shiquan"), ("sqtj", "石泉县统计局", None, "shiquan"),
    ("zysa", "紫阳县双安镇人民政府", "双安镇人民政府", "zyx"),
    ("hynk", "汉阴县农林科技局", None, "hanyin"), ("hyds", "汉阴县电子商务办公室", "汉阴县电商办", "hanyin"),
    ("lgzw", "岚皋县政务服务中心", None, "langao"), ("lgjj", "岚皋县公安局交通警察大队", None, "langao"),
    ("zpsj", "镇坪县市场监督管理局", "镇坪县市场监管局", "zhenping"), ("zpga", "镇坪县公安局", None, "zhenping"),
    ("zpsf", "镇坪县司法局", None, "zhenping"), ("bhwl", "白河县文化和旅游广电局", "文旅广电局", "baihe"),
)


def packaged(name: str) -> bytes:
    return resources.files("casework").joinpath(f"data/{name}").read_bytes()


@dataclass(frozen=True)
class SiteRow:
    number: int
    name: str
    address: str
    site_code: str
    problems: str
    verdict: str

    @property
    def unit_code(self) -> str:
        host = self.address.split("/")[0]
        parts = host.split(".")
        return parts[1] if parts[0] == "www" else parts[0]


def site_rows() -> list[SiteRow]:
    text = packaged("ankang_2020q1_websites.csv").decode("utf-8")
    return [SiteRow(int(r["序号"]), r["网站名称"].strip(), r["网址"].strip(), r["网站标识码"].strip(),
                    r["主要问题"].strip(), r["复查结果"].strip())
            for r in csv.DictReader(text.splitlines())]


def unit_kind(name: str) -> str:
    if re.search(r"(县|区|市)人民政府$", name) and not name.startswith("安康市人民政府"):
        return "county"
    if name.endswith("管理委员会") or "供销" in name:
        return "other"
    return "department"


def short_name(name: str) -> str:
    return name.removeprefix("安康市") if name.startswith("安康市") else name.removesuffix("人民政府")


@dataclass(frozen=True)
class LetterTemplate:
    subject: str
    body: str
    category: str
    channel: str
    unit: str
    citizen: str


LETTERS = (
    LetterTemplate("城关镇自来水频繁停水", "我家住紫阳县城关镇新桥社区，近一个月已经停水四次，每次都没有提前通知，家里有老人小孩，生活很不方便。请问什么时候能恢复正常供水？", "help", "phone", "zyx", "王先生"),
    LetterTemplate("咨询孩子入学需要哪些材料", "孩子今年秋季上小学一年级，我们是外地户籍在安康务工，请问需要准备居住证、社保缴费证明等哪些材料？到哪里办理？", "consultation", "web", "jyj", "李女士"),
    LetterTemplate("小区附近夜间施工噪音扰民", "江北大道某工地每天晚上十一点以后还在施工，打桩声音很大，附近居民无法休息，已经持续两周。希望有关部门尽快处理。", "complaint", "web", "hbj", "赵先生"),
    LetterTemplate("身份证丢失如何补办", "本人身份证在外地丢失，户籍在汉滨区，请问能否在安康市区任意派出所补办？需要多长时间？", "consultation", "web", "gaj", "陈先生"),
    LetterTemplate("建议增开高新区到火车站的公交线路", "高新区上班人员很多，但到火车站没有直达公交，需要换乘两次。建议增开一条早晚高峰的直达线路。", "suggestion", "web", "jtj", "刘女士"),
    LetterTemplate("医保异地就医备案咨询", "我父亲在西安住院，请问异地就医备案怎么办理？可以线上办理吗？报销比例是多少？", "consultation", "phone", "sbzx", "张女士"),
    LetterTemplate("公积金提取申请一直没有到账", "我在十月初提交了购房提取公积金的申请，到现在已经二十多天还没有到账，请帮忙查询进度。", "consultation", "web", "gjj", "周先生"),
    LetterTemplate("市政府网站办事指南链接打不开", "市政务服务网“办事指南”栏目中“不动产登记”事项的链接点击后显示404，请尽快修复。", "consultation", "zhaocuo", "portal", "网民"),
    LetterTemplate("农民工工资被拖欠三个月", "我们一行十二人在某工地干活，包工头拖欠工资三个月共计八万余元，多次讨要无果，请求帮助。", "help", "phone", "rsj", "吴先生"),
    LetterTemplate("举报无证经营的餐馆", "兴安路一家餐馆没有营业执照和食品经营许可证，后厨卫生条件很差，请市场监管部门查处。", "report", "phone", "gsj", "匿名"),
    LetterTemplate("雨后道路积水严重", "每次下雨后金州路与巴山路交叉口积水都很深，车辆熄火，行人无法通过，希望尽快改造排水设施。", "complaint", "web", "zjj", "孙先生"),
    LetterTemplate("汉滨区育才路路灯不亮", "育才路中段有七八盏路灯已经坏了一个多月，晚上很黑，存在安全隐患。", "help", "phone", "hanbin", "郑女士"),
    LetterTemplate("养老保险缴费年限咨询", "我在外省缴纳了八年养老保险，回安康后又缴了七年，请问能否合并计算缴费年限？需要办理什么手续？", "consultation", "web", "rsj", "冯先生"),
    LetterTemplate("建议优化高速出口交通信号", "安康东高速出口早高峰拥堵严重，建议延长左转绿灯时间并增派交警疏导。", "suggestion", "web", "gaj", "何先生"),
    LetterTemplate("小区楼道有燃气泄漏气味", "紫阳县城关镇和平小区3号楼楼道有明显燃气味，已报物业但无人处理，情况紧急！", "urgent", "phone", "zyx", "许女士"),
    LetterTemplate("不动产登记办理时限咨询", "买了二手房，请问不动产转移登记一般需要多少个工作日？能否加急？", "consultation", "web", "zrzyj", "马先生"),
)
