"""Demo policy guidance and Q&A (issue 7): the bureau's library of guidance documents, the officials who answer
questions, 20+ answered questions published to the public library (the four questions of the housing bureau's
reply to proposal 285 among them), a desk queue in every state, readers' ratings with one weak answer, and one
guidance draft waiting in the approval workflow.

The documents are real; their summaries are our own words. Where a 文号 or date could not be checked, the 文号
is left blank and the text says so (以原件为准): the model needs an issue date, so such a document carries the
first day of its year and says that the date is to be checked.

Everything goes through governance.services.policy (asking, assigning, answering, publishing, duplicates,
feedback, guidance). Deterministic and idempotent: topics, officials and documents are found by their keys,
questions by asker and title, and each question is only moved on from the state it is in, so a second run adds
nothing. The answers' dates are spread over the past months afterwards (the services stamp "now").
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from governance.models import (
    AnswerFeedback,
    PolicyAnswerPage,
    PolicyIndexPage,
    PolicyOfficial,
    PolicyPage,
    PolicyQuestion,
    PolicyTopic,
)
from governance.services import policy as svc
from home.models import CommunityPage, SubDistrict
from home.services.roles import bureau_group

User = get_user_model()
Level = PolicyPage.Level
DocStatus = PolicyPage.Status
QStatus = PolicyQuestion.Status

TO_CHECK = "【待核对】本文件的文号和印发日期以原件为准；本库所记日期仅为年份，核对原件后更正。"

# --- topics -------------------------------------------------------------------------------------------------

TOPICS = (
    ("gaizao", "老旧小区改造"),
    ("wuye", "物业管理"),
    ("weixiu-zijin", "维修资金"),
    ("jiazhuang-dianti", "加装电梯"),
    ("sangong-yiye", "三供一业"),
    ("yezhu-dahui", "业主大会与业委会"),
    ("shoufei", "收费与公示"),
    ("dangjian", "党建与议事"),
)

# --- the officials ------------------------------------------------------------------------------------------

BUREAU = "新乡市住房和城乡建设局"
DRAFTER = ("bureau2", "钱卫东", "+8613900000010")  # a second bureau account: drafts guidance, is not an approver


@dataclass(frozen=True)
class OfficialSpec:
    username: str
    organisation: str
    position: str
    sub_district: str = ""  # name of the sub-district for a sub-district official; "" for the city


OFFICIALS = (
    OfficialSpec("bureau", BUREAU, "物业管理科科长"),
    OfficialSpec("bureau2", BUREAU, "城市建设科副科长"),
    OfficialSpec("community_staff", "红旗区向阳街道办事处", "城建办干事", "向阳街道"),
    OfficialSpec("pingyuan-lu-staff", "红旗区西街街道办事处", "城建办干事", "西街街道"),
)

# --- the documents --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocSpec:
    key: str
    title: str
    number: str
    issuer: str
    level: str
    issued_on: datetime.date | None
    summary: str
    body: str
    topics: tuple[str, ...]
    effective_on: datetime.date | None = None
    status: str = DocStatus.IN_FORCE
    replaced_by: str = ""


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


DOCUMENTS = (
    DocSpec(
        key="guoban-2020-23",
        title="国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见",
        number="国办发〔2020〕23号",
        issuer="国务院办公厅",
        level=Level.NATIONAL,
        issued_on=datetime.date(2020, 7, 10),
        topics=("gaizao", "weixiu-zijin", "jiazhuang-dianti", "wuye", "dangjian"),
        summary=(
            "全国城镇老旧小区改造的纲领性文件：明确改造对象（重点是2000年底前建成的小区）、基础类、完善类、"
            "提升类三类改造内容，以及政府与居民、社会力量合理共担改造资金的机制和改造后的长效管理。"
        ),
        body=_p(
            "改造对象是城市或县城（城关镇）建成年代较早、失养失修失管、市政配套设施不完善、社区服务设施不健全、"
            "居民改造意愿强烈的住宅小区，单栋住宅楼也包括在内。各地结合实际界定范围，重点改造2000年底前建成的"
            "老旧小区，目标是到“十四五”期末力争基本完成需改造小区的改造任务。",
            "改造内容分三类：基础类解决安全和基本生活需要，如供水、排水、供电、道路、供气、供热、消防、安防等"
            "配套设施，以及屋面、外墙、楼梯等公共部位维修；完善类改善居住条件，如环境和配套设施、建筑节能改造、"
            "有条件的楼栋加装电梯、停车和充电设施、物业用房；提升类丰富社区服务，如养老、托育、助餐、便民市场等"
            "公共服务设施及其智慧化改造。",
            "资金由政府与居民、社会力量合理共担。居民按照“谁受益、谁出资”的原则出资，方式包括直接出资、使用"
            "（补建、续筹）住宅专项维修资金、让渡小区公共收益等；政府通过中央补助资金、地方财政和专项债券支持；"
            "供水、供电、供气等专业经营单位出资参与相关管线设施改造，鼓励原产权单位对已移交地方的原职工住宅小区改造给予支持，引导金融机构和社会力量参与。",
            "文件要求健全动员居民参与机制，改造前问需于民、改造中问计于民、改造后问效于民；建立改造项目生成机制，"
            "居民改造意愿强、参与积极性高的小区优先改造；改造后建立长效管理机制，由居民协商确定物业管理模式、"
            "管理规约和议事规则，推动专项维修资金的归集、使用和续筹。",
        ),
    ),
    DocSpec(
        key="yuzhengban-2019-58",
        title="河南省人民政府办公厅关于推进城镇老旧小区改造提质的指导意见",
        number="豫政办〔2019〕58号",
        issuer="河南省人民政府办公厅",
        level=Level.PROVINCIAL,
        issued_on=None,  # not checked against the original: shown as 日期待核对
        topics=("gaizao", "wuye", "dangjian"),
        summary=(
            "我省推进城镇老旧小区改造提质的指导文件，新乡市的年度改造计划以它为依据。本库收录的是摘要，"
            "具体条款和印发日期以原件为准。"
        ),
        body=_p(
            "本文件是河南省推进城镇老旧小区改造提质工作的指导性文件。新乡市2020年城镇老旧小区改造计划以本文件"
            "为依据，坚持“业主主体、社区主导、政府引领、各方支持”，让居民在决策、建设、管理、评价各环节全程参与，"
            "做到决策共谋、发展共建、建设共管、效果共评、成果共享。",
            "按照本文件和国办发〔2020〕23号的精神，我市改造以更新改造基础设施和必要的公共服务设施为重点，着力解决群众反映强烈的设施缺失、设备陈旧、配套不全、"
            "管理缺位、环境脏乱等问题，同时推动改造后小区建立长效管理机制。",
            "具体条款请查阅原件；本库收录的是摘要，供居民了解政策方向。",
            "印发日期待核对原件后补录。",
        ),
    ),
    DocSpec(
        key="xinxiang-shishi-yijian",
        title="新乡市深入推进城镇老旧小区改造工作实施意见",
        number="",
        issuer="新乡市人民政府",
        level=Level.MUNICIPAL,
        issued_on=None,  # not checked against the original: shown as 日期待核对
        topics=("gaizao", "weixiu-zijin", "wuye"),
        summary=(
            "我市落实国家和省里老旧小区改造要求的实施意见：市县财政加大投入，按期全部完工的给予县级本级投入30%的"
            "奖补；按“谁受益、谁出资”的原则引导居民、管线单位和社会力量共同参与。文号和日期以原件为准。"
        ),
        body=_p(
            "实施意见要求在积极争取中央和省级补助资金的基础上，市、县两级财政加大投入，资金专项用于城镇老旧小区改造。"
            "对在规定时限内全部完成老旧小区改造的县（市、区），市财政按县级财政投入本级资金的30%给予奖补支持。",
            "改造资金按照“谁受益、谁出资”和“公益设施共同出资、个性项目户主负责”的原则筹措：积极引导群众捐资捐物、"
            "投工投劳参与改造；管线单位等应主动参与改造提质；通过政府采购、新增设施有偿使用、落实资产收益等方式，"
            "吸引专业机构等社会力量参与设施的设计、改造和运营。",
            "实际操作中，改造资金一般由四部分组成：争取上级资金一部分、辖区政府自筹一部分、专业机构优惠一部分、"
            "小区受益业主少量分摊一部分。",
            "改造完成后，有条件的小区引入专业化物业服务；规模小、分布散的小区连片打包，实行社区保障性管理；"
            "暂不具备条件的小区组织成立业主大会、选举业主委员会，逐步实现业主自治管理。",
            TO_CHECK,
        ),
    ),
    DocSpec(
        key="xinxiang-sangong-yiye",
        title="新乡市域内国有企业家属区“三供一业”分离移交工作方案",
        number="",
        issuer="新乡市人民政府办公室",
        level=Level.MUNICIPAL,
        issued_on=None,  # not checked against the original: shown as 日期待核对
        topics=("sangong-yiye", "wuye"),
        summary=(
            "国有企业职工家属区供水、供电、供热（供气）和物业管理（“三供一业”）从企业分离、移交地方专业单位的"
            "工作方案，由市财政局总体协调推进。文号和日期以原件为准。"
        ),
        body=_p(
            "按照国家关于剥离国有企业办社会职能的部署，我市国有企业职工家属区的供水、供电、供热（供气）和物业管理"
            "从原企业分离，移交给地方专业单位或机构实行社会化管理。分离移交工作由市财政局总体协调推进。",
            "按照国务院国资委、财政部关于“三供一业”分离移交的指导意见，移交的设施维修改造后达到城市基础设施的一般水平，"
            "实行“分户设表、按户收费”，由专业单位直接向住户收费。",
            "已经按“三供一业”政策改造过的项目，不能重复申请国家老旧小区改造补助资金。家属区申请纳入老旧小区改造计划时，"
            "需由原产权单位提供“三供一业”施工改造清单，以便区分已改和未改的内容。",
            TO_CHECK,
        ),
    ),
    DocSpec(
        key="minfadian-wuquan-6",
        title="中华人民共和国民法典（物权编 第六章 业主的建筑物区分所有权）",
        number="中华人民共和国主席令第四十五号",
        issuer="全国人民代表大会",
        level=Level.NATIONAL,
        issued_on=datetime.date(2020, 5, 28),
        effective_on=datetime.date(2021, 1, 1),
        topics=("yezhu-dahui", "weixiu-zijin", "wuye", "shoufei", "jiazhuang-dianti"),
        summary=(
            "民法典第二百七十一条至第二百八十七条：业主对专有部分的所有权和对共有部分的共有、共同管理权，"
            "业主共同决定的事项和表决比例，维修资金、共有部分收益、费用分摊和物业管理方式。2021年1月1日起施行。"
        ),
        body=_p(
            "业主对住宅、经营性用房等专有部分享有所有权，对专有部分以外的共有部分享有共有和共同管理的权利，"
            "不得以放弃权利为由不履行义务。小区内的道路、绿地（属于城镇公共道路、公共绿地的除外）、其他公共场所、"
            "公用设施和物业服务用房属于业主共有；占用业主共有的道路或场地停放汽车的车位也属于业主共有。"
            "（第二百七十一条至第二百七十六条）",
            "业主可以设立业主大会、选举业主委员会，地方人民政府有关部门和居民委员会应当给予指导和协助（第二百七十七条）。"
            "制定或修改议事规则和管理规约、选举或更换业主委员会、选聘和解聘物业服务企业、使用和筹集维修资金、"
            "改建重建建筑物、改变共有部分用途或利用共有部分经营等事项由业主共同决定。表决应当由专有部分面积占比"
            "三分之二以上且人数占比三分之二以上的业主参与；筹集维修资金、改建重建、改变共有部分用途或经营的事项，"
            "须经参与表决的业主中面积和人数均四分之三以上同意；其他事项须经参与表决的业主中面积和人数均过半数同意"
            "（第二百七十八条）。",
            "把住宅改为经营性用房，除遵守法律法规和管理规约外，须经有利害关系的业主一致同意（第二百七十九条）。"
            "业主大会和业主委员会的决定对业主具有法律约束力；侵害业主合法权益的，受侵害的业主可以请求人民法院撤销"
            "（第二百八十条）。",
            "维修资金属于业主共有，经业主共同决定，可以用于电梯、屋顶、外墙、无障碍设施等共有部分的维修、更新和改造；"
            "筹集、使用情况应当定期公布；紧急情况下需要维修的，业主大会或者业主委员会可以依法申请使用（第二百八十一条）。"
            "利用共有部分产生的收入，扣除合理成本后属于业主共有（第二百八十二条）。费用分摊、收益分配有约定的按约定，"
            "没有约定或约定不明的按专有部分面积所占比例确定（第二百八十三条）。",
            "业主可以自行管理，也可以委托物业服务企业或者其他管理人管理，对建设单位聘请的物业服务企业有权依法更换"
            "（第二百八十四条）。物业服务企业接受业主委托管理并接受业主监督，执行政府依法实施的应急处置措施；"
            "业主应当遵守法律法规和管理规约，对于损害他人合法权益的行为，业主大会或业主委员会有权要求停止侵害"
            "（第二百八十五条至第二百八十七条）。",
        ),
    ),
    DocSpec(
        key="wuye-tiaoli",
        title="物业管理条例",
        number="国务院令第379号（2018年修订）",
        issuer="国务院",
        level=Level.NATIONAL,
        issued_on=datetime.date(2018, 3, 19),
        effective_on=datetime.date(2018, 3, 19),
        topics=("wuye", "yezhu-dahui", "shoufei", "weixiu-zijin"),
        summary=(
            "国务院关于物业管理的行政法规（2003年公布，2018年第三次修订）：业主大会和业主委员会、前期物业管理、"
            "物业服务、物业的使用与维护、专项维修资金。表决比例与民法典不一致之处，以民法典为准。"
        ),
        body=_p(
            "条例规定了业主、业主大会和业主委员会的权利义务，前期物业管理和承接查验，物业服务企业的服务和收费，"
            "物业的使用与维护，以及相关法律责任。",
            "物业服务费用由业主交纳；业主与使用人约定由使用人交纳的，从其约定，业主负连带交纳责任。"
            "供水、供电、供气、供热、通信、有线电视等单位应当向最终用户收取有关费用；物业服务企业接受委托代收的，"
            "不得向业主收取手续费等额外费用。",
            "住宅物业的业主应当按照规定交纳专项维修资金，专项维修资金属于业主所有，专项用于物业保修期满后共用部位、"
            "共用设施设备的维修和更新、改造，不得挪作他用。利用共用部位、共用设施设备经营的收益，在扣除合理成本后，"
            "主要用于补充专项维修资金，也可以按照业主大会的决定使用。",
            "注意：条例中关于业主大会表决比例的规定早于民法典；2021年1月1日起，业主共同决定事项的表决按照民法典"
            "第二百七十八条执行。",
        ),
    ),
    DocSpec(
        key="henan-wuye-tiaoli",
        title="河南省物业管理条例",
        number="",
        issuer="河南省人民代表大会常务委员会",
        level=Level.PROVINCIAL,
        issued_on=datetime.date(2017, 9, 29),
        effective_on=datetime.date(2018, 1, 1),
        topics=("wuye", "yezhu-dahui", "shoufei", "weixiu-zijin", "jiazhuang-dianti"),
        summary=(
            "我省的物业管理地方性法规，2017年9月29日通过，2018年1月1日起施行：业主大会的成立、物业服务和公示、"
            "收费、专项维修资金的使用（含应急使用）和老旧小区加装电梯。公告编号以原件为准。"
        ),
        body=_p(
            "一个物业管理区域成立一个业主大会；业主户数超过三百户的，可以成立业主代表大会。房屋出售并交付的建筑面积"
            "达到一半以上、入住户数达到百分之三十以上，或者前期物业服务合同提前终止、期满前九十日的，应当召开首次"
            "业主大会会议。建设单位或者十人以上业主联名可以申请，街道办事处、乡镇人民政府应当在三十日内组建筹备组，"
            "并在筹备组成立后六十日内召开首次业主大会会议。",
            "物业服务企业应当在物业管理区域显著位置公示企业信息和投诉电话、服务内容和标准、收费项目和标准、"
            "电梯等设施设备的维保单位、业主交纳物业服务费用情况、公共水电分摊和共用部位经营收支等情况。"
            "物业服务收费应当与服务质量相适应，不得超出合同约定收费；调整收费须与业主委员会协商并经业主大会同意。",
            "专项维修资金实行专户存储、专款专用、所有权人决策、政府监督。维修资金的使用可以按单元或者楼栋表决。"
            "电梯、消防设施损坏无法使用，屋面、外墙渗漏，外墙饰面有脱落危险等紧急情况，物业服务企业应当立即维修，"
            "经申请，主管部门应当及时审核划拨资金，维修费用应当向业主公示。",
            "老旧住宅加装电梯，应当经本单元（栋）三分之二以上业主同意。",
            "注意：本条例制定于民法典施行之前，部分表决比例与民法典第二百七十八条不一致的，以民法典为准；"
            "本条例此后是否修改，以省人大常委会公布的文本为准。",
        ),
    ),
    DocSpec(
        key="wuquanfa",
        title="中华人民共和国物权法",
        number="中华人民共和国主席令第六十二号",
        issuer="全国人民代表大会",
        level=Level.NATIONAL,
        issued_on=datetime.date(2007, 3, 16),
        effective_on=datetime.date(2007, 10, 1),
        status=DocStatus.REPEALED,
        replaced_by="minfadian-wuquan-6",
        topics=("yezhu-dahui", "weixiu-zijin"),
        summary=(
            "已废止。2007年3月16日通过，2007年10月1日起施行，自2021年1月1日民法典施行之日起废止；"
            "业主的建筑物区分所有权现适用民法典物权编第六章。"
        ),
        body=_p(
            "物权法第六章（第七十条至第八十三条）曾规定业主的建筑物区分所有权。其中第七十六条把筹集和使用维修资金、"
            "改建重建建筑物的表决比例规定为专有部分面积和业主人数均三分之二以上同意，其他事项均过半数同意。",
            "民法典自2021年1月1日起施行，物权法同时废止。现行规则见民法典第二百七十八条：先看参与表决的比例，"
            "再按参与表决的业主计算同意比例；使用维修资金只需双过半，筹集维修资金则需双四分之三。"
            "请不要再按物权法的比例组织表决。",
        ),
    ),
)

# The guidance draft 钱卫东 submits to the approval workflow (赵建国 approves it).
DRAFT = DocSpec(
    key="changxiao-guanli-draft",
    title="老旧小区改造后长效管理工作指引（送审稿）",
    number="",
    issuer=BUREAU,
    level=Level.MUNICIPAL,
    issued_on=datetime.date(2026, 11, 20),
    topics=("gaizao", "wuye"),
    summary="改造完成后三种物业管理方式的选择步骤、各方职责和时间安排（演示用送审稿，非正式文件）。",
    body=_p(
        "本文为演示用送审稿，非正式文件。",
        "改造完成后，社区牵头征求居民对物业管理方式的意见：有条件的小区公开选聘物业服务企业；规模小、分布散的小区"
        "连片打包，实行社区保障性管理；暂不具备条件的小区组织成立业主大会、选举业主委员会，实行业主自治管理。",
        "街道城建办负责指导，区住建部门负责备案和监督，市住建局提供政策咨询。",
    ),
)

# --- the questions ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    asker: str  # username
    community: str  # community slug, "" for a city-wide question
    topic: str
    title: str
    details: str
    state: str = QStatus.PUBLISHED
    answerer: str = "bureau"
    answer: str = ""
    cited: tuple[str, ...] = ()
    public_title: str = ""
    public_question: str = ""
    topics: tuple[str, ...] = ()
    days_ago: int = 30
    revision: str = ""  # a later revision of the answer (the page shows "updated")
    duplicate_of: str = ""


# The funding answer (seed question 3) is revised later: the page then shows "updated".
FUNDING_ANSWER = (
    "您好！改造资金在积极争取中央和省级专项资金的同时，采取“上级资金争取一部分、辖区政府自筹一部分、"
    "专业机构优惠一部分、小区受益业主少量分摊一部分”的方式筹措。"
    "《新乡市深入推进城镇老旧小区改造工作实施意见》要求市县财政加大投入，对在规定时限内全部完工的，"
    "市财政按县级财政投入本级资金的30%给予奖补。"
    "居民出资按照“谁受益、谁出资”和“公益设施共同出资、个性项目户主负责”的原则，具体数额以小区改造方案为准，"
    "方案须征求居民意见。"
)
FUNDING_REVISION = (
    "按照国办发〔2020〕23号，居民出资除直接出资外，还可以使用（补建、续筹）住宅专项维修资金、让渡小区公共收益；"
    "专业经营单位出资参与管线设施改造，原产权单位可以给予支持，还可以通过新增设施有偿使用等方式吸引社会力量参与。"
)


QUESTIONS = (
    # The four questions of the bureau's reply to proposal 285 (../shared/seed).
    QuestionSpec(
        key="sanju-xiaoqu",
        asker="jiankangli-jumin1",
        community="jiankangli",
        topic="gaizao",
        title="只有两三栋楼的小区能纳入老旧小区改造吗？",
        details="我们小区只有几栋楼，是八十年代的单位宿舍，周围都是分散的住户。听说老旧小区改造都是大小区，"
        "这样规模特别小的小区能不能申请改造？要走什么程序？",
        answerer="bureau2",
        answer=(
            "您好！按照《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》（国办发〔2020〕23号），"
            "城镇老旧小区包括单栋住宅楼，规模小的小区同样可以申请改造，以居民自建房为主的区域不在改造范围内。"
            "申请改造的小区需建成于2000年底以前，基础设施和公共服务设施严重老旧或缺失，但房屋结构安全，"
            "不宜整体拆除重建，同时居民改造意愿强烈、拆除违法建设支持率高。"
            "项目按“居民申请、社区推荐、街道办事处审核、县（市、区）政府综合评定、市相关部门会审”的程序自下而上生成，"
            "社区会对居民改造意愿进行调查，达到80%以上居民同意后纳入改造计划。"
            "建议您先和邻居们商量，向社区居委会提出申请。"
        ),
        cited=("guoban-2020-23", "yuzhengban-2019-58"),
        public_title="规模特别小、分布分散的老旧小区能否纳入改造？",
        public_question="小区只有几栋楼，是早年的单位宿舍，周边都是分散住户。规模这么小的小区能否申请老旧小区改造？"
        "需要走什么程序？",
        topics=("gaizao",),
        days_ago=150,
    ),
    QuestionSpec(
        key="tielu-sangong",
        asker="tielu-xincun-jumin1",
        community="tielu-xincun",
        topic="sangong-yiye",
        title="铁路家属院为什么迟迟进不了老旧小区改造计划？",
        details="我们是铁路职工家属院，房子是七十年代的，管网老化严重。周边小区都改造了，我们院一直没有动静，"
        "社区说是“三供一业”的原因，具体是怎么回事？",
        answerer="bureau2",
        answer=(
            "您好！经市住建局摸排，铁路职工家属区属于“三供一业”小区。"
            "按照《新乡市域内国有企业家属区“三供一业”分离移交工作方案》，分离移交工作由市财政局总体协调推进，"
            "2016年起国家已通过财政奖补政策对“三供一业”小区实施了改造。"
            "国家明确规定，“三供一业”已改造过的项目不能重复申请国家补助资金，而铁路方面至今未提供具体改造了哪些内容的"
            "施工改造清单，因此现阶段铁路家属区暂时无法纳入老旧小区改造计划。"
            "待铁路方面出具施工改造清单后，我们将区分已改和未改的内容，择机纳入改造计划。"
        ),
        cited=("xinxiang-sangong-yiye", "guoban-2020-23"),
        public_title="“三供一业”移交过的铁路家属区为什么暂未纳入改造计划？",
        public_question="铁路职工家属院建成较早，管网老化，周边小区都已改造，本院一直没有纳入计划，"
        "听说与“三供一业”有关，具体是什么原因？",
        topics=("sangong-yiye", "gaizao"),
        days_ago=140,
    ),
    QuestionSpec(
        key="gaizao-zijin",
        asker="renmin-xilu-jumin1",
        community="renmin-xilu",
        topic="gaizao",
        title="老旧小区改造的钱从哪里来？居民要出多少？",
        details="小区列入了改造计划，有邻居说改造要每家出钱，也有人说全部由政府出。改造资金到底怎么筹集？",
        answerer="bureau2",
        answer=FUNDING_ANSWER,
        revision=FUNDING_ANSWER + FUNDING_REVISION,
        cited=("xinxiang-shishi-yijian", "guoban-2020-23"),
        public_title="老旧小区改造资金如何筹集？居民需要出资吗？",
        public_question="小区已列入改造计划，改造资金怎么筹集？居民是否需要出钱、出多少？",
        topics=("gaizao", "weixiu-zijin"),
        days_ago=130,
    ),
    QuestionSpec(
        key="gaizao-hou-wuye",
        asker="renmin-xilu-jumin2",
        community="renmin-xilu",
        topic="wuye",
        title="改造完成后小区由谁来管？一定要请物业公司吗？",
        details="我们片区只有两栋楼，改造完以后没人管还会变回原样。一定要请物业公司吗？物业费我们交不起怎么办？",
        answerer="bureau",
        answer=(
            "您好！改造完成后的小区，对有条件实行市场化物业管理的，积极引入专业物业服务企业，提高专业化物业管理覆盖率。"
            "对规模小、分布散、一时难以实行市场化物业管理的小区，实行连片打包、社区保障性管理。"
            "对暂不具备引进物业管理条件的小区，组织成立业主大会、选举产生业主委员会，逐步实现业主自治管理。"
            "民法典第二百八十四条规定，业主可以自行管理，也可以委托物业服务企业或者其他管理人管理，"
            "具体采用哪种方式由业主共同决定。"
            "物业管理模式在改造前会和改造方案一起征求居民意见。"
        ),
        cited=("xinxiang-shishi-yijian", "minfadian-wuquan-6", "wuye-tiaoli"),
        public_title="老旧小区改造完成后采取什么物业管理方式？",
        public_question="片区规模小，担心改造后无人管理。改造后一定要引入物业服务企业吗？有没有其他管理方式？",
        topics=("wuye", "gaizao"),
        days_ago=120,
    ),
    # Property management, fees and disclosure.
    QuestionSpec(
        key="qianfei-tingshui",
        asker="owner",
        community="xiangyang-xincun",
        topic="wuye",
        title="物业公司能不能因为欠物业费停水停电？",
        details="邻居家欠了几个月物业费，物业贴通知说再不交就停水停电。物业有权这样做吗？",
        answer=(
            "您好！物业服务人不得采取停止供电、供水、供热、供燃气等方式催交物业费（民法典第九百四十四条）。"
            "业主违反约定逾期不支付物业费的，物业服务人可以催告其在合理期限内支付；合理期限届满仍不支付的，"
            "可以提起诉讼或者申请仲裁。"
            "供水、供电等专业单位向最终用户收费，物业服务企业受托代收的也不得以此为手段催费。"
            "同时提醒业主，物业服务已按约定提供的，不能以未接受或者无需接受服务为由拒付物业费。"
        ),
        cited=("wuye-tiaoli", "henan-wuye-tiaoli"),
        public_title="物业服务企业能否以停水停电的方式催交物业费？",
        public_question="有业主欠了几个月物业费，物业服务企业张贴通知称不交就停水停电，这样做是否合法？",
        topics=("wuye", "shoufei"),
        days_ago=110,
    ),
    QuestionSpec(
        key="genghuan-wuye",
        asker="council",
        community="xiangyang-xincun",
        topic="wuye",
        title="业主想更换物业公司，需要多少人同意？",
        details="不少业主对现在的物业服务不满意，想换一家。需要什么程序，多少业主同意才行？",
        answer=(
            "您好！选聘和解聘物业服务企业属于民法典第二百七十八条规定的业主共同决定事项。"
            "表决时，参与表决的业主专有部分面积和人数都要达到全体的三分之二以上；"
            "在参与表决的业主中，面积和人数都过半数同意，决定才能通过。"
            "表决一般由业主委员会组织召开业主大会，可以集体讨论，也可以书面征求意见。"
            "决定通过后，业主委员会代表业主与新的物业服务企业签订合同，并做好新旧物业的交接和承接查验。"
        ),
        cited=("minfadian-wuquan-6", "wuye-tiaoli"),
        public_title="更换物业服务企业需要多少业主同意？",
        public_question="业主对现在的物业服务不满意，想更换物业服务企业，需要什么程序、多少业主同意？",
        topics=("wuye", "yezhu-dahui"),
        days_ago=100,
    ),
    QuestionSpec(
        key="wuyefei-zhangjia",
        asker="xinhua-yuan-jumin1",
        community="xinhua-yuan",
        topic="shoufei",
        title="物业费涨价要经过什么程序？",
        details="物业公司通知明年物业费上调，没有开过业主大会。物业可以自己决定涨价吗？",
        answer=(
            "您好！《河南省物业管理条例》规定，物业服务收费应当与服务质量相适应，不得超出合同约定收取费用。"
            "调整物业服务收费，物业服务企业应当与业主委员会协商，并经业主大会同意；表决按照民法典第二百七十八条执行。"
            "未经法定程序单方上调的部分，业主可以拒绝交纳。"
            "如物业服务企业擅自涨价，可以向所在区住建部门或价格主管部门反映。"
        ),
        cited=("henan-wuye-tiaoli", "minfadian-wuquan-6"),
        public_title="物业服务企业可以自行决定上调物业费吗？",
        public_question="物业服务企业通知明年上调物业费，但小区没有召开业主大会，企业能否自行决定涨价？",
        topics=("shoufei", "wuye"),
        days_ago=95,
    ),
    QuestionSpec(
        key="wuye-gongshi",
        asker="tenant",
        community="xiangyang-xincun",
        topic="shoufei",
        title="物业公司应该公示哪些内容？",
        details="我是租户，想知道物业公司平时应该在小区公布哪些信息，公共水电费是怎么分摊的。",
        answer=(
            "您好！按照《河南省物业管理条例》，物业服务企业应当在物业管理区域内显著位置公示："
            "企业信息、项目负责人和投诉电话；服务内容、服务标准、收费项目和收费标准；电梯、供水、供电等设施设备的维保单位；"
            "业主交纳物业服务费用情况、公共水电费分摊情况以及利用共用部位经营的收支情况；公共停车的收支情况等。"
            "民法典第九百四十三条也要求物业服务人定期公开并向业主大会、业主委员会报告上述情况。"
            "公示不到位的，可以向业主委员会或所在区住建部门反映。"
        ),
        cited=("henan-wuye-tiaoli",),
        public_title="物业服务企业应当公示哪些信息？",
        public_question="物业服务企业平时应当在小区公示哪些信息？公共水电费的分摊情况是否需要公开？",
        topics=("shoufei", "wuye"),
        days_ago=90,
    ),
    QuestionSpec(
        key="daishou-shouxufei",
        asker="pingyuan-lu-jumin1",
        community="pingyuan-lu",
        topic="shoufei",
        title="物业代收水电费能另外收手续费吗？",
        details="小区的水电费由物业代收，每次都要多交一笔手续费，这合理吗？",
        answer=(
            "您好！《物业管理条例》规定，供水、供电、供气、供热、通信、有线电视等单位应当向最终用户收取有关费用；"
            "物业服务企业接受委托代收上述费用的，不得向业主收取手续费等额外费用。"
            "《河南省物业管理条例》也有相同规定。"
            "实行业主自行管理的小区由业主委员会代收的，也不宜另收手续费。"
            "已多收的费用可以要求退还，协商不成可以向所在区住建部门反映。"
        ),
        cited=("wuye-tiaoli", "henan-wuye-tiaoli"),
        public_title="代收水电费时能否向业主收取手续费？",
        public_question="小区水电费由物业服务企业代收，每次额外收取手续费，是否合理？",
        topics=("shoufei",),
        days_ago=85,
    ),
    QuestionSpec(
        key="gonggong-shouyi",
        asker="tielu-xincun-jumin2",
        community="tielu-xincun",
        topic="shoufei",
        title="小区的停车费、广告费收入归谁？",
        details="小区里划了停车位收费，电梯里也有广告，这些钱归物业还是归业主？",
        answer=(
            "您好！民法典第二百八十二条规定，建设单位、物业服务企业或者其他管理人等利用业主的共有部分产生的收入，"
            "在扣除合理成本之后，属于业主共有。"
            "占用业主共有的道路或者其他场地用于停放汽车的车位，属于业主共有（第二百七十五条）。"
            "按照《物业管理条例》，共用部位、共用设施设备的经营收益主要用于补充专项维修资金，也可以按照业主大会的决定使用。"
            "公共收益的收支情况应当定期公示，业主有权查阅。"
        ),
        cited=("minfadian-wuquan-6", "wuye-tiaoli"),
        public_title="小区停车、广告等公共收益归谁所有？",
        public_question="小区内划线停车收费、电梯内广告的收入，归物业服务企业还是归业主？",
        topics=("shoufei", "wuye"),
        days_ago=80,
    ),
    # The maintenance fund.
    QuestionSpec(
        key="weixiu-zijin-biaojue",
        asker="committee",
        community="xiangyang-xincun",
        topic="weixiu-zijin",
        title="使用维修资金修屋顶需要多少业主同意？",
        details="业委会准备用维修资金给几栋楼重做屋面防水，听说要三分之二业主同意，是这样吗？",
        answer=(
            "您好！民法典施行后，使用维修资金属于第二百七十八条第一款第五项的事项。"
            "表决分两步：先看参与表决的业主，专有部分面积和人数都要占全体的三分之二以上；"
            "再看同意的业主，在参与表决的业主中面积和人数都要过半数。"
            "而筹集、续筹维修资金属于第六项，需要参与表决的业主中面积和人数均四分之三以上同意。"
            "原物权法按全体业主三分之二同意的规定已经废止，不再适用。"
            "只涉及部分楼栋的，按《河南省物业管理条例》可以由相关单元或楼栋的业主表决。"
        ),
        cited=("minfadian-wuquan-6", "henan-wuye-tiaoli", "wuquanfa"),
        public_title="使用住宅专项维修资金需要多少业主同意？",
        public_question="业委会准备使用维修资金给几栋楼重做屋面防水，需要多少业主同意？是否仍按三分之二计算？",
        topics=("weixiu-zijin", "yezhu-dahui"),
        days_ago=75,
    ),
    QuestionSpec(
        key="weixiu-zijin-yingji",
        asker="party",
        community="xiangyang-xincun",
        topic="weixiu-zijin",
        title="屋顶漏水很急，维修资金能不能先用？",
        details="雨季屋面渗漏严重，顶楼家里都进水了，等开业主大会表决来不及，有没有应急办法？",
        answerer="community_staff",
        answer=(
            "您好！民法典第二百八十一条规定，紧急情况下需要维修共有部分的，业主大会或者业主委员会可以依法申请使用维修资金。"
            "《河南省物业管理条例》把屋面、外墙渗漏列为应急使用的情形：物业服务企业应当立即维修，"
            "经申请后主管部门及时审核划拨资金，不需要先经业主表决。"
            "维修完成后，维修费用和分摊情况应当向业主公示。"
            "向阳新村的应急维修，请业委会或物业服务企业带上渗漏照片到街道城建办登记，我们协助尽快报区住建部门。"
        ),
        cited=("minfadian-wuquan-6", "henan-wuye-tiaoli"),
        public_title="屋面渗漏等紧急情况能否应急使用维修资金？",
        public_question="雨季屋面渗漏严重，顶层住户家中进水，等不及召开业主大会表决，维修资金有没有应急使用的办法？",
        topics=("weixiu-zijin",),
        days_ago=70,
    ),
    QuestionSpec(
        key="weixiu-zijin-bujian",
        asker="jiankangli-jumin2",
        community="jiankangli",
        topic="weixiu-zijin",
        title="老小区从来没交过维修资金，改造时要补交吗？",
        details="我们小区是老房改房，一直没有维修资金。改造时是不是要补交？以后坏了怎么修？",
        answer=(
            "您好！国办发〔2020〕23号提出，居民可以通过使用、补建、续筹住宅专项维修资金等方式参与改造出资。"
            "没有维修资金的老旧小区，可以结合改造由业主共同决定补建，补建和续筹属于筹集维修资金，"
            "需要参与表决的业主中面积和人数均四分之三以上同意。"
            "补建后的维修资金属于业主共有，专项用于共用部位和共用设施设备保修期满后的维修、更新和改造，"
            "以后屋面、管道等公共部位损坏就有了稳定的资金来源。"
            "具体交存标准请咨询区住建部门。"
        ),
        cited=("guoban-2020-23", "minfadian-wuquan-6", "wuye-tiaoli"),
        public_title="没有维修资金的老旧小区改造时是否需要补建？",
        public_question="小区是老房改房，一直没有建立专项维修资金，改造时是否要补交？今后公共部位损坏怎么维修？",
        topics=("weixiu-zijin", "gaizao"),
        days_ago=65,
    ),
    # Lifts.
    QuestionSpec(
        key="dianti-tongyi",
        asker="pingyuan-lu-jumin2",
        community="pingyuan-lu",
        topic="jiazhuang-dianti",
        title="老楼加装电梯需要多少户同意？",
        details="我们单元想加装电梯，一楼住户不同意，是不是必须全体同意才能装？",
        answer=(
            "您好！加装电梯不需要全体业主一致同意。"
            "《河南省物业管理条例》规定，老旧住宅加装电梯应当经本单元（栋）三分之二以上业主同意。"
            "民法典施行后，加装电梯一般作为改建、改变共有部分用途的事项，先要本单元专有部分面积和人数均三分之二以上的业主参与表决，"
            "再要参与表决的业主中面积和人数均四分之三以上同意。"
            "两项要求都满足更稳妥。"
            "对一楼、二楼住户的采光、噪音等影响，建议在加装协议中协商补偿办法。"
        ),
        cited=("henan-wuye-tiaoli", "minfadian-wuquan-6", "guoban-2020-23"),
        public_title="老旧住宅加装电梯需要多少业主同意？",
        public_question="单元想加装电梯，低层住户不同意，是否必须全体业主一致同意才能加装？",
        topics=("jiazhuang-dianti",),
        days_ago=60,
    ),
    QuestionSpec(
        key="dianti-fentan",
        asker="pingyuan-lu-jumin3",
        community="pingyuan-lu",
        topic="jiazhuang-dianti",
        title="加装电梯的费用怎么分摊？低层住户要出钱吗？",
        details="单元准备加装电梯，各楼层出多少钱一直谈不拢，有没有规定？",
        answer=(
            "您好！加装电梯的费用分摊首先由本单元业主协商约定，常见做法是按楼层和面积确定系数，楼层越高分摊越多，"
            "一楼一般不分摊或少分摊。"
            "没有约定或者约定不明确的，民法典第二百八十三条规定按照业主专有部分面积所占比例确定。"
            "经业主共同决定，维修资金可以用于电梯等共有部分的更新和改造（第二百八十一条）。"
            "加装电梯属于老旧小区改造的完善类内容，纳入改造计划的可以按规定申请补助。"
            "建议把分摊比例、后期运行维护费用的分担写进加装协议。"
        ),
        cited=("minfadian-wuquan-6", "guoban-2020-23"),
        public_title="加装电梯的费用如何在各楼层之间分摊？",
        public_question="单元准备加装电梯，各楼层业主出资比例谈不拢，有没有分摊的规定？低层住户是否要出钱？",
        topics=("jiazhuang-dianti", "weixiu-zijin"),
        days_ago=55,
    ),
    QuestionSpec(
        key="dianti-shenqing",
        asker="party",
        community="xiangyang-xincun",
        topic="jiazhuang-dianti",
        title="向阳新村的楼想加装电梯，向谁提出？",
        details="我们楼老人多，大家商量想加装电梯，不知道第一步找谁。",
        answerer="community_staff",
        answer=(
            "您好！加装电梯的第一步是本单元业主协商一致，推选代表，按规定的比例征得业主同意，并就费用分摊签订书面协议。"
            "意见统一后，可以到社区居委会或街道城建办咨询，我们会告知需要准备的材料并协助对接设计单位。"
            "向阳新村正在实施老旧小区改造，单元北侧预留加装条件的，以改造设计为准。"
            "具体申报材料和审批程序以区住建部门公布的要求为准。"
        ),
        cited=("henan-wuye-tiaoli",),
        public_title="向阳新村的住宅楼想加装电梯，应当向谁提出？",
        public_question="楼里老人多，邻居们商量想加装电梯，不知道第一步应当找谁、怎么提出。",
        topics=("jiazhuang-dianti",),
        days_ago=50,
    ),
    # 三供一业.
    QuestionSpec(
        key="sangong-jiaofei",
        asker="tielu-xincun-jumin3",
        community="tielu-xincun",
        topic="sangong-yiye",
        title="“三供一业”移交后水电暖费交给谁？",
        details="以前水电暖都是单位统一管，移交以后该到哪里交费？表还是以前的总表。",
        answer=(
            "您好！“三供一业”分离移交后，供水、供电、供热（供气）由接收的专业单位管理，实行“分户设表、按户收费”，"
            "由专业单位直接向住户收费。"
            "仍使用总表的，应当在维修改造中完成分户设表，具体进度请向接收单位了解。"
            "物业服务企业受托代收的，不得向住户收取手续费等额外费用。"
            "如接收单位和原单位之间的交接遗留问题影响到收费，可以向市财政局或市住建局反映。"
        ),
        cited=("xinxiang-sangong-yiye", "wuye-tiaoli"),
        public_title="“三供一业”移交后水电暖费向谁交纳？",
        public_question="家属区的水电暖原来由原单位统一管理，移交后应当向谁交费？仍是总表的怎么办？",
        topics=("sangong-yiye", "shoufei"),
        days_ago=45,
    ),
    QuestionSpec(
        key="sangong-wuye",
        asker="tielu-xincun-jumin4",
        community="tielu-xincun",
        topic="sangong-yiye",
        title="家属院物业移交后谁来管？",
        details="原单位不管物业了，说要移交给地方，院里的卫生、维修以后谁负责？",
        answer=(
            "您好！按照分离移交工作方案，家属区的物业管理从原企业分离，移交给地方实行社会化管理。"
            "移交后的家属区可以引入物业服务企业，规模小的可以由街道、社区连片打包实行保障性管理，"
            "也可以组织成立业主大会、选举业主委员会实行自治管理。"
            "物业管理移交完成后，市住建局将对接手的物业服务企业提供政策咨询，指导其按照我市物业管理相关规定开展服务。"
        ),
        cited=("xinxiang-sangong-yiye", "xinxiang-shishi-yijian"),
        public_title="“三供一业”家属区物业移交后由谁管理？",
        public_question="原单位不再管理家属院物业，移交地方以后，院内卫生和维修由谁负责？",
        topics=("sangong-yiye", "wuye"),
        days_ago=40,
    ),
    # Owners' assembly and committee.
    QuestionSpec(
        key="chengli-yezhu-dahui",
        asker="renmin-xilu-jumin3",
        community="renmin-xilu",
        topic="yezhu-dahui",
        title="我们片区想成立业主大会，需要什么条件？",
        details="片区一直没有业委会，大家想自己成立，需要多少人发起，找哪个部门？",
        answerer="pingyuan-lu-staff",
        answer=(
            "您好！按照《河南省物业管理条例》，房屋出售并交付的建筑面积达到一半以上，或者入住户数达到百分之三十以上的，"
            "应当召开首次业主大会会议。"
            "十人以上业主联名可以向街道办事处提出申请，街道应当在三十日内组建筹备组，筹备组中业主代表不少于一半，"
            "并在筹备组成立后六十日内召开首次业主大会会议。"
            "老旧小区首次业主大会的筹备经费由县级人民政府承担。"
            "人民西路片区的申请可以直接交到西街街道城建办，我们会指导大家做好业主名册核对等准备工作。"
        ),
        cited=("henan-wuye-tiaoli", "minfadian-wuquan-6"),
        public_title="成立业主大会需要什么条件、向谁申请？",
        public_question="片区一直没有业主委员会，业主想自行成立，需要多少人发起、向哪个部门申请？",
        topics=("yezhu-dahui",),
        days_ago=35,
    ),
    QuestionSpec(
        key="yeweihui-jueding",
        asker="xinhua-yuan-jumin2",
        community="xinhua-yuan",
        topic="yezhu-dahui",
        title="对业委会的决定不服怎么办？",
        details="业委会作出的决定我认为侵害了我的权益，我能不能不执行？",
        answer=(
            "您好！民法典第二百八十条规定，业主大会或者业主委员会的决定，对业主具有法律约束力。"
            "业主大会或者业主委员会作出的决定侵害业主合法权益的，受侵害的业主可以请求人民法院予以撤销。"
            "按照最高人民法院的司法解释，撤销请求应当自知道或者应当知道决定作出之日起一年内提出。"
            "在法院撤销之前，决定仍然有效，建议先通过业主大会、街道或社区协调解决。"
        ),
        cited=("minfadian-wuquan-6",),
        public_title="业主认为业委会的决定侵害自己权益怎么办？",
        public_question="业主委员会作出的决定损害了个别业主的权益，业主能否不执行？有什么救济途径？",
        topics=("yezhu-dahui",),
        days_ago=30,
    ),
    QuestionSpec(
        key="chayue-jilu",
        asker="xinhua-yuan-jumin3",
        community="xinhua-yuan",
        topic="yezhu-dahui",
        title="业主能查看业委会的会议记录和账目吗？",
        details="想看看业委会开会的记录和公共收益的账，业委会说不方便给看。",
        answer=(
            "您好！业主有权查阅业主大会和业主委员会的决定、会议记录，以及维修资金的筹集使用情况、"
            "共有部分的使用和收益情况等，这在最高人民法院审理建筑物区分所有权纠纷案件的司法解释中有明确规定。"
            "民法典第二百八十一条也要求维修资金的筹集、使用情况定期公布。"
            "查阅时涉及其他业主个人信息的部分应当作遮挡处理。"
            "业委会拒绝提供的，可以向街道办事处反映，也可以依法向人民法院起诉。"
        ),
        cited=("minfadian-wuquan-6",),
        public_title="业主能否查阅业委会的会议记录和公共收益账目？",
        public_question="业主想查看业主委员会的会议记录和公共收益账目，业委会以不方便为由拒绝，业主有没有查阅的权利？",
        topics=("yezhu-dahui", "shoufei"),
        days_ago=25,
    ),
    QuestionSpec(
        key="biaojue-bili",
        asker="tielu-xincun-jumin2",
        community="",
        topic="yezhu-dahui",
        title="物权法规定的表决比例现在还能用吗？",
        details="我们的业主大会议事规则是十几年前订的，写的是按物权法三分之二同意，现在还有效吗？",
        answer=(
            "您好！物权法自2021年1月1日民法典施行之日起废止，业主共同决定事项的表决现在按民法典第二百七十八条执行。"
            "《物业管理条例》和《河南省物业管理条例》中与民法典不一致的表决比例，也以民法典为准。"
            "议事规则仍按旧比例规定的，建议由业主大会依照民法典的要求修改。"
            "修改议事规则本身属于业主共同决定事项，需要双三分之二参与、参与者双过半同意。"
        ),
        cited=("minfadian-wuquan-6", "wuquanfa", "wuye-tiaoli"),
        public_title="按物权法订立的表决比例现在是否仍然适用？",
        public_question="小区议事规则是多年前按物权法订立的，写明三分之二同意即可，民法典施行后是否仍然有效？",
        topics=("yezhu-dahui",),
        days_ago=20,
    ),
    QuestionSpec(
        key="zhugaishang",
        asker="jiankangli-jumin3",
        community="jiankangli",
        topic="yezhu-dahui",
        title="楼下住户把住宅改成棋牌室，需要谁同意？",
        details="楼下把房子改成了棋牌室，每天很吵。住宅能随便改成经营用房吗？",
        answer=(
            "您好！民法典第二百七十九条规定，业主不得违反法律、法规以及管理规约，将住宅改变为经营性用房。"
            "确需改变的，除遵守法律法规和管理规约外，应当经有利害关系的业主一致同意。"
            "同一栋楼的其他业主都属于有利害关系的业主，一户不同意就不能改。"
            "对噪音扰民等行为，业主委员会有权要求其停止侵害，业主也可以向公安、市场监管等部门反映或者向法院起诉。"
        ),
        cited=("minfadian-wuquan-6",),
        public_title="住宅改为棋牌室等经营性用房需要谁同意？",
        public_question="楼里有住户把住宅改成棋牌室，噪音很大。住宅能否随意改为经营性用房？",
        topics=("yezhu-dahui", "wuye"),
        days_ago=15,
    ),
    # Party building and deliberation; a local matter of 向阳新村.
    QuestionSpec(
        key="yishihui",
        asker="jiankangli-jumin4",
        community="jiankangli",
        topic="dangjian",
        title="没有物业也没有业委会，小区的事怎么商量？",
        details="小区没有物业，也没成立业委会，改造的事大家意见很多，没人牵头。",
        answerer="bureau2",
        answer=(
            "您好！老旧小区改造提升要同基层组织建设结合起来。"
            "一方面发挥热心公益、威望较高的老党员、老干部的带头作用，筹建小区党支部、小区议事会或业主委员会，"
            "推动基层党组织向小区、楼栋延伸，把大家的意见统一起来。"
            "另一方面通过议事会等群众自治组织，建立缴费、服务、管理等长效机制，或者引进物业服务企业管理。"
            "国办发〔2020〕23号也要求改造中问需于民、问计于民，改造后建立长效管理机制。"
            "建议先和社区联系，由社区协助组织居民议事。"
        ),
        cited=("guoban-2020-23", "xinxiang-shishi-yijian"),
        public_title="没有物业和业委会的小区如何组织居民议事？",
        public_question="小区既没有物业服务企业，也没有业主委员会，改造中居民意见多、无人牵头，该怎么组织商量？",
        topics=("dangjian", "gaizao"),
        days_ago=12,
    ),
    QuestionSpec(
        key="shigong-tingche",
        asker="tenant",
        community="xiangyang-xincun",
        topic="gaizao",
        title="改造施工期间车停哪里？",
        details="雨污分流施工把路都挖开了，车没地方停，施工要多久？",
        answerer="community_staff",
        answer=(
            "您好！向阳新村雨污分流和外墙保温改造按楼栋分段施工。"
            "施工期间的临时停车，请按物业服务企业在各出入口张贴的指引停放。"
            "施工安排如有调整，会在小区公告栏和本平台通知公告中公布。"
        ),
        public_title="向阳新村改造施工期间如何停车？",
        public_question="小区雨污分流施工挖开了道路，施工期间车辆停在哪里？工期多长？",
        topics=("gaizao",),
        days_ago=8,
    ),
    # The desk's queue: questions not (yet) in the library.
    QuestionSpec(
        key="dianti-chongfu",
        asker="xinhua-yuan-jumin4",
        community="xinhua-yuan",
        topic="jiazhuang-dianti",
        title="加装电梯要全体业主同意吗？",
        details="我们单元有一户坚决反对加装电梯，是不是就装不成了？",
        state=QStatus.DUPLICATE,
        duplicate_of="dianti-tongyi",
        days_ago=6,
    ),
    QuestionSpec(
        key="wuye-zhibao",
        asker="pingyuan-lu-jumin4",
        community="pingyuan-lu",
        topic="wuye",
        title="自管小区的保洁、绿化能外包吗？",
        details="我们小区是业主自行管理，业委会想把保洁和绿化交给专业公司做，需要业主大会表决吗？",
        state=QStatus.ANSWERED,
        answerer="pingyuan-lu-staff",
        answer=(
            "您好！业主自行管理的小区，可以把保洁、绿化等专项服务委托给专业单位。"
            "委托的范围、费用和期限应当在业主大会议事规则或者管理规约授权的范围内；"
            "超出授权、涉及选聘物业服务企业或者其他管理人的，应当由业主共同决定。"
            "合同签订后，费用支出应当按季度向业主公示。"
        ),
        cited=("minfadian-wuquan-6",),
        days_ago=4,
    ),
    QuestionSpec(
        key="chongdian-peng",
        asker="owner",
        community="xiangyang-xincun",
        topic="gaizao",
        title="改造能不能增加电动车充电棚？",
        details="楼道里经常有人给电动车充电，很危险。这次改造能不能增加集中充电的地方？",
        state=QStatus.ASSIGNED,
        answerer="community_staff",
        days_ago=3,
    ),
    QuestionSpec(
        key="gongjijin-dianti",
        asker="jiankangli-jumin1",
        community="jiankangli",
        topic="jiazhuang-dianti",
        title="加装电梯能提取住房公积金吗？",
        details="家里准备出加装电梯的钱，听说可以用公积金，具体怎么办？",
        state=QStatus.RECEIVED,
        days_ago=2,
    ),
    QuestionSpec(
        key="xiaofang-weixiu",
        asker="xinhua-yuan-jumin1",
        community="",
        topic="weixiu-zijin",
        title="小区消防设施坏了，维修费用谁出？",
        details="消防栓和喷淋坏了很久，物业说要业主出钱，开发商说过了保修期不管。",
        state=QStatus.RECEIVED,
        days_ago=1,
    ),
)

# Readers' ratings: (question key, reader, helpful, what was missing). 施工期间停车 is the weak answer.
FEEDBACK = (
    ("sanju-xiaoqu", "jiankangli-jumin2", True, ""),
    ("sanju-xiaoqu", "jiankangli-jumin3", True, ""),
    ("sanju-xiaoqu", "owner", True, ""),
    ("tielu-sangong", "tielu-xincun-jumin2", True, ""),
    ("tielu-sangong", "tielu-xincun-jumin3", False, "希望写明铁路方面什么时候能提供清单"),
    ("tielu-sangong", "tielu-xincun-jumin4", True, ""),
    ("gaizao-zijin", "renmin-xilu-jumin3", True, ""),
    ("gaizao-zijin", "council", True, ""),
    ("gaizao-hou-wuye", "renmin-xilu-jumin3", True, ""),
    ("gaizao-hou-wuye", "jiankangli-jumin4", True, ""),
    ("dianti-tongyi", "pingyuan-lu-jumin3", True, ""),
    ("dianti-tongyi", "xinhua-yuan-jumin4", True, ""),
    ("dianti-tongyi", "party", False, "两个比例同时满足太难，希望说明以哪个为准"),
    ("weixiu-zijin-biaojue", "owner", True, ""),
    ("qianfei-tingshui", "tenant", True, ""),
    ("shigong-tingche", "owner", False, "没说清楚临时停车的具体位置"),
    ("shigong-tingche", "council", False, "没有回答工期多长"),
    ("shigong-tingche", "party", False, "希望附上分段施工的时间表"),
    ("shigong-tingche", "committee", True, ""),
)


# --- applying the plan ---------------------------------------------------------------------------------------


@dataclass
class _Ctx:
    users: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    counts: dict = field(default_factory=lambda: {"文件": 0, "提问": 0, "公开答复": 0, "评价": 0})

    def user(self, username):
        if username not in self.users:
            self.users[username] = User.objects.get(username=username)
        return self.users[username]


def seed_policy(stdout) -> None:
    index = PolicyIndexPage.objects.first()
    if index is None:
        stdout.write("政策问答：未找到政策指引页，跳过。")
        return
    svc.policy_permissions_ensure()
    ctx = _Ctx()
    _residents_ensure()
    ctx.topics = _topics_ensure()
    _officials_ensure(ctx)
    for spec in DOCUMENTS:
        ctx.documents[spec.key] = _document_ensure(ctx, spec)
    _replacements(ctx)
    pages = {}
    for spec in QUESTIONS:
        with transaction.atomic():
            pages[spec.key] = _question_ensure(ctx, spec, pages)
    for key, username, helpful, comment in FEEDBACK:
        page = pages.get(key)
        if page is not None and not AnswerFeedback.objects.filter(page=page, user=ctx.user(username)).exists():
            svc.answer_feedback_record(user=ctx.user(username), page=page, helpful=helpful, comment=comment)
            ctx.counts["评价"] += 1
    draft = _draft_submitted(ctx)
    live = PolicyAnswerPage.objects.live().count()
    added = "，".join(f"{label} {n}" for label, n in ctx.counts.items())
    stdout.write(
        f"政策问答：政策文件 {PolicyPage.objects.live().count()} 份，公开答复 {live} 条"
        f"（本次新增：{added}）；送审稿“{draft.title}”等待赵建国审核。"
    )
    approvers = set(Group.objects.get(name=settings.PORTAL_POLICY_APPROVER_GROUP).user_set.values_list("pk", flat=True))
    for official in (
        PolicyOfficial.objects.filter(user__username__in=[o.username for o in OFFICIALS])
        .select_related("user")
        .order_by("pk")
    ):
        user = official.user
        role = "，审核政策文件" if user.pk in approvers else ""
        stdout.write(f"  政策答复：{user.full_name}（用户名 {user.username}，{user.phone}）{official.role_label}{role}")


def _residents_ensure() -> None:
    """The residents who ask come from the 议事厅 seed (four owners with an account per community)."""
    from portal.management.demo_discussions import _cast

    for community in CommunityPage.objects.live().order_by("pk"):
        _cast(community)


def _topics_ensure() -> dict:
    found = {}
    for order, (slug, name) in enumerate(TOPICS, start=1):
        found[slug], _created = PolicyTopic.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
    return found


def _officials_ensure(ctx: _Ctx) -> None:
    from portal.management.demo_discussions import _account

    username, full_name, phone = DRAFTER
    drafter = _account(username, full_name, phone)
    bureau_group().user_set.add(drafter)
    approvers, _created = Group.objects.get_or_create(name=settings.PORTAL_POLICY_APPROVER_GROUP)
    approvers.user_set.add(ctx.user("bureau"))
    for spec in OFFICIALS:
        user = ctx.user(spec.username)
        sub_district = None
        if spec.sub_district:
            sub_district = SubDistrict.objects.get(district__name="红旗区", name=spec.sub_district)
        PolicyOfficial.objects.get_or_create(
            user=user,
            defaults={
                "organisation": spec.organisation,
                "position": spec.position,
                "jurisdiction": PolicyOfficial.Jurisdiction.SUB_DISTRICT
                if sub_district
                else PolicyOfficial.Jurisdiction.CITY,
                "sub_district": sub_district,
            },
        )


def _page_fields(spec: DocSpec) -> dict:
    return {
        "title": spec.title,
        "slug": spec.key,
        "document_number": spec.number,
        "issuer": spec.issuer,
        "level": spec.level,
        "issued_on": spec.issued_on,
        "effective_on": spec.effective_on,
        "status": spec.status,
        "summary": spec.summary,
        "body": spec.body,
    }


def _document_ensure(ctx: _Ctx, spec: DocSpec) -> PolicyPage:
    page = PolicyPage.objects.filter(slug=spec.key).first()
    if page is not None:
        return page
    page = PolicyPage(**_page_fields(spec))
    svc.guidance_publish(actor=ctx.user("bureau"), page=page, topics=[ctx.topics[t] for t in spec.topics])
    ctx.counts["文件"] += 1
    return page


def _replacements(ctx: _Ctx) -> None:
    """The repealed 物权法 points to the Civil Code (published again by the approver, through the service)."""
    for spec in DOCUMENTS:
        if not spec.replaced_by:
            continue
        page = ctx.documents[spec.key]
        target = ctx.documents[spec.replaced_by]
        if page.replaced_by_id != target.pk:
            page.replaced_by = target
            svc.guidance_publish(actor=ctx.user("bureau"), page=page, topics=[ctx.topics[t] for t in spec.topics])


def _question_ensure(ctx: _Ctx, spec: QuestionSpec, pages: dict):
    """Moves the question on from wherever it is to the state of the plan. Returns its page once published."""
    asker = ctx.user(spec.asker)
    community = CommunityPage.objects.get(slug=spec.community) if spec.community else None
    question = PolicyQuestion.objects.filter(asker=asker, title=spec.title).first()
    created = question is None
    if created:
        question = svc.question_ask(
            asker=asker, title=spec.title, details=spec.details, community=community, topic=ctx.topics[spec.topic]
        )
        ctx.counts["提问"] += 1
    official = ctx.user(spec.answerer)
    target = spec.state
    if target == QStatus.DUPLICATE:
        if question.status == QStatus.RECEIVED:
            svc.question_close_duplicate(
                actor=ctx.user("bureau"), question=question, answer_page=pages[spec.duplicate_of]
            )
        _backdate(question, spec.days_ago, created)
        return None
    if target in (QStatus.ASSIGNED, QStatus.ANSWERED, QStatus.PUBLISHED) and question.status == QStatus.RECEIVED:
        question = svc.question_assign(actor=ctx.user("bureau"), question=question, assignee=official)
    if target in (QStatus.ANSWERED, QStatus.PUBLISHED) and question.status == QStatus.ASSIGNED:
        question = svc.answer_save(
            actor=official,
            question=question,
            text=spec.answer,
            cited_documents=[ctx.documents[k] for k in spec.cited],
        )
    page = None
    if target == QStatus.PUBLISHED and question.status == QStatus.ANSWERED:
        page = svc.answer_publish(
            actor=official,
            question=question,
            public_title=spec.public_title,
            public_question=spec.public_question,
            topics=[ctx.topics[t] for t in spec.topics],
        )
        ctx.counts["公开答复"] += 1
    if target == QStatus.PUBLISHED:
        page = page or PolicyAnswerPage.objects.get(source_question=question)
        _backdate(question, spec.days_ago, created, page)
        if spec.revision and page.revised_at is None:
            svc.answer_save(
                actor=official,
                question=question,
                text=spec.revision,
                cited_documents=[ctx.documents[k] for k in spec.cited],
            )
            page.refresh_from_db()
    else:
        _backdate(question, spec.days_ago, created)
    return page


def _backdate(question, days_ago: int, created: bool, page=None) -> None:
    """The services stamp "now"; the demo spreads the questions over the past months (asked three days before
    the answer). Only when the question was asked in this run, so a second run changes nothing."""
    if not created:
        return
    answered = timezone.now() - datetime.timedelta(days=days_ago)
    asked = answered - datetime.timedelta(days=3) if question.answered_at else answered
    PolicyQuestion.objects.filter(pk=question.pk).update(
        created_at=asked, answered_at=answered if question.answered_at else None
    )
    if page is not None:
        PolicyAnswerPage.objects.filter(pk=page.pk).update(
            answered_at=answered, first_published_at=answered, last_published_at=answered
        )


def _draft_submitted(ctx: _Ctx) -> PolicyPage:
    """钱卫东 (a drafter, not an approver) drafts guidance and submits it; it waits for 赵建国's approval."""
    page = PolicyPage.objects.filter(slug=DRAFT.key).first()
    if page is not None:
        return page
    drafter = ctx.user(DRAFTER[0])
    index = PolicyIndexPage.objects.first()
    page = PolicyPage(**_page_fields(DRAFT), live=False, owner=drafter)
    index.add_child(instance=page)
    page.topics.set([ctx.topics[t] for t in DRAFT.topics])
    page.save_revision(user=drafter, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, drafter)
    return page
