from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    REGISTERED = "registered", _("已立案")
    ASSIGNED = "assigned", _("已交办")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    AWAITING_EVALUATION = "awaiting_evaluation", _("待评价")
    REHANDLING = "rehandling", _("重新办理")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class Action(models.TextChoices):
    CREATE = "create", _("起草")
    EDIT = "edit", _("修改")
    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回")
    RETURN = "return", _("退回代表")
    REGISTER = "register", _("审查通过并立案")
    ASSIGN = "assign", _("交办")
    RECEIVE = "receive", _("签收")
    UNIT_RETURN = "unit_return", _("申请退回（交办有误）")
    CONSULT = "consult", _("记录沟通联系")
    WAIVE_CONSULTATION = "waive_consultation", _("免予面商")
    CO_OPINION = "co_opinion", _("协办意见")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    DECIDE_EXTENSION = "decide_extension", _("审批延期")
    REPLY = "reply", _("答复")
    ACCEPT_REPLY = "accept_reply", _("审核通过答复")
    SEND_BACK_REPLY = "send_back_reply", _("退回答复")
    EVALUATE = "evaluate", _("评价")
    REHANDLE = "rehandle", _("转重新办理")
    CLOSE = "close", _("办结")
    MARK_KEY = "mark_key", _("列为重点督办")
    SUPERVISE = "supervise", _("督办记录")
    REMIND = "remind", _("催办")
    NO_EVALUATION = "no_evaluation", _("逾期未评价")
    CONFIRM_COSIGN = "confirm_cosign", _("确认联名")
    MERGE = "merge", _("并案")
    UNMERGE = "unmerge", _("撤销并案")
    FORWARD_UP = "forward_up", _("转请市级办理")
    FORWARD_ANSWER = "forward_answer", _("市级单位答复转办事项")
    FORWARD_WITHDRAW = "forward_withdraw", _("撤回转办")


class ActorRole(models.TextChoices):
    """The part a user plays on one suggestion (not their account role)."""

    AUTHOR = "author", _("领衔代表")
    COSIGNER = "cosigner", _("联名代表")
    ENTRY = "entry", _("代为录入的工作人员")
    STAFF = "staff", _("代工委")
    LEAD_UNIT = "lead_unit", _("主办单位")
    CO_UNIT = "co_unit", _("协办单位")
    SUPERVISOR = "supervisor", _("督办")
    SYSTEM = "system", _("系统")


class ReturnReason(models.TextChoices):
    """Why a submission is not admissible as a suggestion (DOMAIN.md, screening)."""

    OUT_OF_AUTHORITY = "out_of_authority", _("不属于本级职权范围")
    PERSONAL = "personal", _("代表本人及其亲属的个人事务")
    COURT_CASE = "court_case", _("涉及具体司法案件")
    FORWARDED_LETTER = "forwarded_letter", _("转交来信")
    ACADEMIC = "academic", _("学术探讨")
    PROMOTION = "promotion", _("宣传推介产品")
    EMPTY = "empty", _("内容空泛、没有具体意见")
    OTHER = "other", _("其他")


class UnitRole(models.TextChoices):
    LEAD = "lead", _("主办单位")
    CO = "co", _("协办单位")


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("承办中")
    RETURNED = "returned", _("已退回")
    REPLACED = "replaced", _("已改办")


class ConsultationWay(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    PHONE = "phone", _("电话")
    SITE = "site", _("现场")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("审核通过")
    SENT_BACK = "sent_back", _("已退回")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class SupervisionMethod(models.TextChoices):
    DOCUMENTS = "documents", _("查资料")
    REPORT = "report", _("听汇报")
    SITE = "site", _("看现场")
    VISIT = "visit", _("访代表")


class ForwardStatus(models.TextChoices):
    """A township's forward of a matter to a city unit (转请上级办理)."""

    PENDING = "pending", _("待答复")
    ANSWERED = "answered", _("已答复")
    WITHDRAWN = "withdrawn", _("已撤回")


class ReminderKind(models.TextChoices):
    """What a reminder of the deadlines' tick (`deadlines.run_tick`) is about."""

    DUE_SOON = "due_soon", _("临期催办")
    OVERDUE = "overdue", _("逾期催办")
    CO_DUE_SOON = "co_due_soon", _("协办意见临期催办")
    CO_OVERDUE = "co_overdue", _("协办意见逾期催办")
    FOLLOW_UP = "follow_up", _("跟踪落实到期")
