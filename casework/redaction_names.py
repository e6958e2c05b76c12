"""Names of people in Chinese letters: the writer's, and everybody else's (a contact
person, a relative, a neighbour, the owner of the shop complained about). Pure functions.

Two sources, because neither is enough alone: jieba's part-of-speech tagger (`nr`: person
name) finds most names in running text but splits some (孙 / 大伟) and misses others
(张德福 after 父亲); cue words (联系人, 父亲, 老板, 业主 …) followed by a common surname
catch those. A name must start with a common surname; a surname followed by a title
(王局长, 周科长, 李先生) is a form of address, not a name, and is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# The commonest surnames (together > 90% of the population), compound ones first.
COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "司徒", "夏侯")
SINGLE = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘"
    "池查麻苑迟邝")
TITLES = ("局长", "书记", "主任", "科长", "处长", "部长", "县长", "市长", "区长", "镇长", "乡长", "村长", "组长",
          "队长", "所长", "站长", "院长", "校长", "经理", "总", "董", "老师", "医生", "大夫", "警官", "同志", "先生",
          "女士", "小姐", "师傅", "阿姨", "大爷", "大妈", "老板", "律师", "工", "某", "姓", "家", "氏", "队", "厅",
          "副", "委员", "干部", "主席", "秘书", "专员", "科员", "民警", "社长", "主管", "会计", "司机")
# Cue words after which a name follows.
CUES = ("联系人", "联络人", "负责人", "当事人", "经办人", "承办人", "举报人", "投诉人", "被投诉人", "名叫", "叫做", "我叫",
        "姓名", "父亲", "母亲", "爸爸", "妈妈", "儿子", "女儿", "丈夫", "妻子", "爱人", "老公", "老婆", "哥哥", "姐姐",
        "弟弟", "妹妹", "爷爷", "奶奶", "外公", "外婆", "孙子", "孙女", "岳父", "岳母", "公公", "婆婆", "舅舅", "姑姑",
        "叔叔", "阿姨", "邻居", "同事", "房东", "房主", "业主", "店主", "老板", "租户", "租客", "工友", "包工头", "村民",
        "居民", "患者", "病人", "学生", "员工", "职工", "工人", "民警", "医生", "护士", "司机", "班主任", "老师", "亲戚",
        "朋友", "同学", "本人", "法人", "法定代表人", "代理人", "申请人", "受害人", "嫌疑人", "叫", "管理员",
        "工作人员", "保安", "收费员", "网格员", "经理", "主任", "书记", "村长", "站长", "护工", "保洁员", "城管",
        "队员", "科员", "会计", "出纳", "厂长", "股东", "老板娘")
# What a name is not followed by: particles and verbs that end it (so 张德福今年 gives 张德福).
_STOP = set("的是在说家和与跟及等今于把被也都已又就向对将让给从到去来为因所称反映曾还却并而或要会能一了着过呢吗啊呀，。、；：！？,.;:!?（）() \n")
_PLACE_END = tuple("路街巷道村镇乡县区市省苑园府城厦寓院楼店馆场站湖山河桥队社司局委厅办")
_CUE = re.compile("(?:" + "|".join(sorted(map(re.escape, CUES), key=len, reverse=True)) + r")[是为叫：: ]{0,2}")


def surname_length(word: str) -> int:
    if word[:2] in COMPOUND:
        return 2
    return 1 if word[:1] in SINGLE else 0


def _titled(text: str, after: int) -> bool:
    return text.startswith(TITLES, after)


def name_at(text: str, start: int) -> str | None:
    """The name starting at `start` (surname + one or two characters), or None."""
    head = surname_length(text[start:start + 2])
    if not head:
        return None
    given = ""
    for char in text[start + head:start + head + 2]:
        if char in _STOP or not ("\u4e00" <= char <= "\u9fff") or _titled(text, start + head + len(given)):
            break
        given += char
    if not given:
        return None
    return text[start:start + head + len(given)]


def _common_word(word: str) -> bool:
    # jieba's dictionary tags many ordinary words nr (谢谢, 文明, 明白, 阳光, 华府): a
    # two-character dictionary word, or any frequent one, is not taken for a person.
    from .search.dictionary import tables

    freqs, tags, _total = tables()
    return (len(word) == 2 and word in tags) or freqs.get(word, 0) > 500


def _jieba_names(text: str) -> Iterator[tuple[int, str]]:
    from .search.dictionary import pos_tokenizer

    position, previous = 0, None
    for pair in pos_tokenizer().cut(text):
        word, flag = pair.word, pair.flag
        if (flag in ("nr", "nrfg") and 2 <= len(word) <= 4 and not word.endswith(_PLACE_END)
                and not _common_word(word)):
            head = surname_length(word)
            if head and not _titled(word, head) and not _titled(text, position + len(word)):
                yield position, word
            elif previous and len(previous[1]) == 1 and surname_length(previous[1]) and len(word) <= 2:
                yield previous[0], previous[1] + word  # 孙 / 大伟
        previous = (position, word)
        position += len(word)


def find_names(text: str) -> Iterator[tuple[int, int]]:
    """Spans (start, end) of people's names in `text`."""
    for m in _CUE.finditer(text):
        name = name_at(text, m.end())
        if name:
            yield m.end(), m.end() + len(name)
    for start, word in _jieba_names(text):
        if not _titled(text, start + len(word)):
            yield start, start + len(word)


def mask_name(name: str) -> str:
    head = surname_length(name) or 1
    return name[:head] + "*" * (len(name) - head)
