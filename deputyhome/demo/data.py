"""Fixed name lists for the demo city: real township-level units of Enshi, plausible villages and people.

Everything random in the demo is drawn from these lists with a seeded `random.Random`, so the
same seed gives the same city on every machine and every Faker version.
"""

from __future__ import annotations

from deputyhome.organisation.choices import RegionKind, UnitKind

CITY_CODE = "422801"
CITY_NAME = "恩施市"
# The regions above the city (GB/T 2260): the province and the prefecture, whose congresses some of the
# city's deputies also sit in.
PROVINCE_CODE, PROVINCE_NAME = "42", "湖北省"
PREFECTURE_CODE, PREFECTURE_NAME = "4228", "恩施土家族苗族自治州"

# (code suffix, name, kind, villages/communities: one liaison station each).
# Codes follow the statistics convention: 0xx streets, 1xx towns, 2xx townships,
# 4xx the scenic-area office; below them 0xx communities and 2xx villages.
TOWNSHIPS: list[tuple[str, str, str, list[str]]] = [
    ("001", "舞阳坝街道", RegionKind.STREET, ["舞阳坝社区", "大桥路社区", "民族路社区", "航空路社区"]),
    ("002", "六角亭街道", RegionKind.STREET, ["西门社区", "东门社区", "南门社区", "头道水社区"]),
    ("003", "小渡船街道", RegionKind.STREET, ["小渡船社区", "旗峰坝社区", "施州社区", "栖凤社区"]),
    ("004", "金子坝街道", RegionKind.STREET, ["金子坝社区", "高桥坝社区", "马鞍山社区"]),
    ("005", "七里坪街道", RegionKind.STREET, ["七里坪社区", "龙洞河社区", "红庙社区"]),
    ("100", "龙凤镇", RegionKind.TOWN, ["青堡村", "龙马村", "碧峰村", "三龙坝村", "佐家坝村", "吉心村"]),
    ("101", "白杨坪镇", RegionKind.TOWN, ["洞下槽村", "熊家岩村", "麂子渡村", "白杨坪村", "林口村"]),
    ("102", "崔家坝镇", RegionKind.TOWN, ["滚龙坝村", "鸦鹊水村", "崔家坝村", "水井村", "石门坝村"]),
    ("103", "板桥镇", RegionKind.TOWN, ["大山顶村", "新田村", "板桥村", "石栏村"]),
    ("200", "三岔乡", RegionKind.TOWNSHIP, ["莲花池村", "鸭松溪村", "三岔村", "茅坝槽村", "天池村"]),
    ("201", "新塘乡", RegionKind.TOWNSHIP, ["新塘村", "双河村", "龙潭村", "石灰窑村", "木栗园村"]),
    ("202", "红土乡", RegionKind.TOWNSHIP, ["红土溪村", "石窑村", "天落水村", "黄泥塘村"]),
    ("203", "沙地乡", RegionKind.TOWNSHIP, ["沙地村", "花被村", "麦淌村"]),
    ("204", "太阳河乡", RegionKind.TOWNSHIP, ["太阳河村", "梭布垭村", "中坝村", "洞湾村"]),
    ("205", "屯堡乡", RegionKind.TOWNSHIP, ["花枝山村", "马者村", "车坝村", "屯堡村"]),
    ("206", "白果乡", RegionKind.TOWNSHIP, ["白果村", "金龙坝村", "见天坝村", "两河口村"]),
    ("207", "芭蕉侗族乡", RegionKind.TOWNSHIP, ["高拱桥村", "戽口村", "南河村", "芭蕉村", "朱砂溪村"]),
    ("208", "盛家坝乡", RegionKind.TOWNSHIP, ["二官寨村", "小溪村", "大集场村", "盛家坝村"]),
    ("400", "大峡谷风景区管理处", RegionKind.SCENIC, ["营上村", "木贡村"]),
]

RECEPTION_HOURS = ["每周三上午", "每周一上午", "每周五上午", "每周二下午", "每周四上午"]
STATION_RECEPTION_HOURS = ["每月5日上午", "每月10日上午", "每月15日上午", "每月20日上午", "每月逢三上午", "每周三上午"]
ROADS = ["施州大道", "航空大道", "舞阳大街", "民族路", "解放路", "土桥大道", "金桂大道", "学院路"]

HANDLING_UNITS: list[tuple[str, str]] = [
    (name, UnitKind.GOVERNMENT)
    for name in [
        "市发展和改革局",
        "市教育局",
        "市科学技术和经济信息化局",
        "市民族宗教事务局",
        "市公安局",
        "市民政局",
        "市司法局",
        "市财政局",
        "市人力资源和社会保障局",
        "市自然资源和规划局",
        "市生态环境局",
        "市住房和城乡建设局",
        "市交通运输局",
        "市水利和湖泊局",
        "市农业农村局",
        "市商务局",
        "市文化和旅游局",
        "市卫生健康委员会",
        "市退役军人事务局",
        "市应急管理局",
        "市审计局",
        "市市场监督管理局",
        "市统计局",
        "市医疗保障局",
        "市林业局",
        "市城市管理执法局",
        "市信访局",
        "市政务服务和大数据管理局",
        "市茶产业发展中心",
        "市供销合作社联合社",
        "市住房保障服务中心",
    ]
] + [
    ("市人民法院", UnitKind.COURT),
    ("市人民检察院", UnitKind.PROCURATORATE),
    ("国网恩施供电公司", UnitKind.OTHER),
    ("中国电信恩施市分公司", UnitKind.OTHER),
    ("中国移动恩施市分公司", UnitKind.OTHER),
    ("中国联通恩施市分公司", UnitKind.OTHER),
    ("恩施市城市建设投资有限公司", UnitKind.OTHER),
    ("恩施市水务有限公司", UnitKind.OTHER),
    ("恩施市公共交通有限公司", UnitKind.OTHER),
]

UNIT_CONTACTS = ["办公室", "综合股", "政策法规股", "办公室主任"]

# The township congress whose work the demo shows (the `townshipcongress` login): its town, and the offices and
# village committee that handle its deputies' suggestions (name, kind, contact, phone).
TOWNSHIP_CONGRESS_TOWN = "白杨坪镇"
TOWNSHIP_UNITS: list[tuple[str, str, str, str]] = [
    ("白杨坪镇农业服务中心", UnitKind.GOVERNMENT, "综合办公室", "0718-8641101"),
    ("白杨坪镇财政所", UnitKind.GOVERNMENT, "所办公室", "0718-8641102"),
    ("白杨坪镇卫生院", UnitKind.GOVERNMENT, "院办公室", "0718-8641103"),
    ("白杨坪镇洞下槽村村民委员会", UnitKind.OTHER, "村委会主任", "0718-8641104"),
]
# The offices of every other township congress (乡、镇): "<乡镇>" + name, with their contact.
TOWNSHIP_OFFICES: list[tuple[str, str]] = [
    ("农业服务中心", "综合办公室"),
    ("财政所", "所办公室"),
    ("卫生院", "院办公室"),
]

# Surnames common in Enshi (土家族 向、田、覃、谭、冉、彭、滕、庹 among them), weighted by repetition.
SURNAMES = (
    "向向向田田田谭谭谭杨杨黄黄刘刘张张王王李李陈陈覃覃彭彭冉冉吴吴周周邓罗熊朱胡何谢蒋姚牟秦肖郑唐舒石滕庹龙余汪孙"
    "万魏段康严廖宋林邹郭钟卢"
)
GIVEN_MALE = "国建华明军平志勇强伟斌文海林涛波刚超辉宏洪德春清福兴顺祥永胜忠成东坤鹏飞杰俊帅浩宇"
GIVEN_FEMALE = "秀丽敏静芳燕红梅英玲霞琴娟兰萍艳春雪莉婷倩慧娜琳凤翠云晓丹佳"

# (value, weight): Enshi is a Tujia and Miao autonomous prefecture; 芭蕉 is a Dong township.
ETHNICITIES = [("土家族", 52), ("汉族", 33), ("苗族", 8), ("侗族", 5), ("白族", 1), ("蒙古族", 1)]
ETHNICITIES_DONG = [("侗族", 35), ("土家族", 35), ("汉族", 20), ("苗族", 10)]
PARTIES = [
    ("中共党员", 68),
    ("群众", 16),
    ("无党派人士", 3),
    ("共青团员", 2),
    ("民革党员", 1),
    ("民盟盟员", 2),
    ("民建会员", 2),
    ("民进会员", 2),
    ("农工党党员", 2),
    ("致公党党员", 1),
    ("九三学社社员", 1),
]
EDUCATION_HIGH = [("研究生", 20), ("大学", 55), ("大专", 20), ("中专", 5)]
EDUCATION_GRASSROOTS = [("大学", 15), ("大专", 30), ("中专", 15), ("高中", 25), ("初中", 13), ("小学", 2)]

COMPANY_PREFIXES = ["恩施", "硒都", "施州", "清江", "玉露", "武陵", "土家", "大峡谷", "富硒"]
COMPANY_TRADES = ["茶业", "农业科技", "建筑工程", "旅游开发", "商贸", "食品", "药业", "电子商务", "物流", "生态农业"]
COMPANY_TITLES = ["董事长", "总经理", "副总经理", "职工"]
CITY_BODIES = [name for name, kind in HANDLING_UNITS if kind == UnitKind.GOVERNMENT]
URBAN_JOBS = [
    "湖北民族大学教师",
    "恩施市第一中学教师",
    "恩施市实验小学教师",
    "恩施市中心医院医生",
    "恩施市中医医院护士长",
    "恩施市人民医院医生",
    "个体工商户",
    "恩施市律师事务所律师",
    "恩施市公交公司驾驶员",
]
RURAL_JOBS = [
    "{village}村民",
    "{village}党支部委员",
    "{village}村委会委员",
    "{township}中心学校教师",
    "{township}卫生院医生",
    "{township}派出所民警",
    "{village}茶叶种植专业合作社理事长",
    "{village}养殖大户",
    "{township}农业服务中心技术员",
    "个体工商户",
]

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for 第N届 / 第N次会议 / 第N代表小组)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
