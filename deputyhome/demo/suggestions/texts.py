"""The demo suggestions' texts: the topic tables together, inadmissible ones, and the words of each step."""

from __future__ import annotations

from deputyhome.suggestions.choices import ConsultationWay, ReturnReason, Satisfaction, SupervisionMethod

from .topic import Topic
from .topics_economy import ECONOMY
from .topics_public import PUBLIC
from .topics_rural import RURAL_LIFE
from .topics_town import TOWN

TOPICS: list[Topic] = [*ECONOMY, *TOWN, *RURAL_LIFE, *PUBLIC]

# Submitted but not admissible: sent back at screening with one of the reasons of DOMAIN.md.
INADMISSIBLE: list[tuple[str, str, str, str, str]] = [
    (
        ReturnReason.PERSONAL,
        "关于解决本人子女工作调动问题的请求",
        "本人子女在外地工作多年，家中老人年迈需要照顾。",
        "请有关部门帮助协调，将本人子女调回恩施市事业单位工作。",
        "所提事项属代表本人亲属的个人事务，不属于代表建议范围，请通过正常渠道反映。",
    ),
    (
        ReturnReason.OUT_OF_AUTHORITY,
        "关于调整全省高考录取分数线划定办法的建议",
        "民族地区教育基础相对薄弱，考生升学竞争压力大。",
        "建议省教育考试院对民族地区考生进一步降低录取分数线。",
        "所提事项属省级职权范围，不属于市级办理范围，建议通过省人大代表反映。",
    ),
    (
        ReturnReason.COURT_CASE,
        "关于重新审理{v}村民土地承包经营权纠纷案件的建议",
        "{v}两户村民因土地承包经营权发生纠纷，法院已作出终审判决，一方当事人不服。",
        "建议市人民法院对该案重新审理，撤销原判决。",
        "涉及具体司法案件，不属于代表建议范围，请当事人依法申请再审或申请检察监督。",
    ),
    (
        ReturnReason.PROMOTION,
        "关于在全市推广某茶业公司富硒绿茶的建议",
        "某茶业公司生产的富硒绿茶品质优良。",
        "建议全市机关单位公务接待统一使用该公司生产的富硒绿茶。",
        "内容系为特定企业推介产品，不属于代表建议范围。",
    ),
]

FIELD = {
    "经济建设": "全市经济发展",
    "城乡建设与管理": "城乡建设和管理工作",
    "农业农村": "“三农”工作",
    "教育科技文化": "教育科技文化事业",
    "医疗卫生": "卫生健康事业",
    "社会保障": "民生保障工作",
    "生态环境": "生态环境保护工作",
    "交通运输": "交通运输事业",
    "政法与社会治理": "政法和社会治理工作",
    "其他": "我单位工作",
}

KEY_LEADERS = ["市人大常委会主任向国平", "市人大常委会副主任杨光明", "市人大常委会副主任覃美华"]
CLERK_NAMES = "向田谭杨黄刘张王李陈覃彭冉吴周邓罗熊朱胡"
CLERK_GIVEN = ["晓东", "文静", "红霞", "建国", "春燕", "志强", "丽君", "海波", "小兰", "明辉", "玉梅", "俊杰"]

COMMENTS = {
    Satisfaction.SATISFIED: [
        "办理态度诚恳，措施具体，问题得到解决。",
        "沟通及时，落实到位，满意。",
        "答复内容详实，办理效果明显。",
        "",
    ],
    Satisfaction.BASIC: [
        "态度较好，但落实进度偏慢，希望加快推进。",
        "部分问题已解决，还需持续跟踪。",
        "答复基本清楚，希望尽快落实资金。",
    ],
    Satisfaction.DISSATISFIED: [
        "答复内容空泛，问题没有实质性解决，要求重新办理。",
        "未到现场了解情况，答复与实际不符，希望重新研究。",
    ],
}

CO_OPINIONS = [
    "经研究，我单位同意主办单位的办理意见，将在职责范围内积极配合，做好相关政策支持和业务指导。",
    "我单位已将该建议涉及本单位职责的事项纳入本年度工作计划，将配合主办单位抓好落实。",
    "经与主办单位会商，我单位负责相关审批和监管工作，将开辟绿色通道，加快办理。",
]
CONSULT_NOTES = {
    ConsultationWay.IN_PERSON: "{unit}分管负责同志与{name}代表当面沟通，介绍办理思路和工作安排，听取代表意见，代表对办理方案表示认可。",
    ConsultationWay.PHONE: "电话联系{name}代表，通报办理进展，代表希望加快推进、尽早见效。",
    ConsultationWay.SITE: "陪同{name}代表到{place}现场查看，共同研究解决办法。",
}
SUPERVISION_TEXT = {
    SupervisionMethod.DOCUMENTS: (
        "查阅{unit}办理台账、与代表沟通记录和答复材料，办理程序规范，资料齐全。",
        "请按期答复代表，并及时报送办理结果。",
    ),
    SupervisionMethod.REPORT: (
        "听取{unit}关于第{number}号建议办理情况的汇报，单位已制定办理方案，明确了分管领导、责任股室和完成时限。",
        "请细化时间节点，每月报送一次办理进展。",
    ),
    SupervisionMethod.SITE: (
        "到{place}现场查看办理落实情况，相关工作正在按计划推进。",
        "请加强质量和进度管理，确保按承诺时限完成。",
    ),
    SupervisionMethod.VISIT: (
        "走访{name}代表，代表对承办单位的办理态度表示认可，希望加快落实进度。",
        "请主办单位再次与代表沟通，回应代表关切。",
    ),
}
METHODS = [SupervisionMethod.DOCUMENTS, SupervisionMethod.REPORT, SupervisionMethod.SITE, SupervisionMethod.VISIT]
