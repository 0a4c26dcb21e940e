"""What an audit row's action is called in Chinese: the log stores `suggestion.assign`, the auditor reads 代表建议：交办.

An action is `<object>.<verb>`. Its name comes from, in order: a name given to the whole action (`ACTIONS`, and the
names an app registers with `register_actions`, e.g. the exports by their kinds' labels: export.deputies,
导出人大代表名册); else
the object's name (`OBJECTS`, or the model of that name's verbose name, for the `<model>.create/update/delete` that
`core.services` writes) with the verb's name (the verbs an app registers for its object in `AppConfig.ready`, e.g.
the suggestion course's steps, else `VERBS`). An action none of these names is shown as it is stored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

ACTIONS = {
    "access.denied": "越权访问被拒绝",
    "auth.locked": "账号锁定",
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.login_refused": "拒绝登录",
    "auth.logout": "退出登录",
    "auth.otp_enrol_start": "开始绑定动态口令",
    "auth.otp_enrol": "绑定动态口令",
    "auth.otp_backup_codes": "重新生成备用码",
    "auth.otp_verify": "动态口令验证",
    "auth.first_login_code": "发送首次登录验证码",
    "auth.first_login_check": "首次登录短信验证",
    "auth.session_expired": "会话超时",
    "notification.retry": "重新发送失败的通知",
    "audit.chain_keyed": "审计链启用密钥",
    "audit.purge": "清理过期审计记录",
    "backup.create": "数据备份",
    "backup.restore": "数据恢复",
    "demo.load": "载入演示数据",
    "bench.run": "基准测试",
    "personal_data.reveal": "查看完整个人信息",
    "region.refused": "拒绝越权区域",
    "roster.import": "代表名册导入",
    "congress.term_change": "人民代表大会换届",
    "congress.term_change_undo": "撤销人民代表大会换届",
    "visits.remind": "提醒未进站代表",
    "households.remind": "提醒结对联系户不足的代表",
    "group_quarters.remind": "提醒本季度尚未开展活动的代表小组",
    "unit.batch": "承办单位批量维护",
    "user.reset_password": "重置密码",
    "user.set_password": "设置密码",
    "user.disable_former_deputies": "停用离任代表账号",
    "deputy.account_request": "申请开通代表账号",
    "user.enable_seated_deputies": "重新启用恢复代表资格的账号",
    "suggestions.history_import": "历史建议台账导入",
    "suggestions.learn": "训练交办单位推荐模型",
    "suggestion_settings.defaults": "建议办理期限设置",
}
# Objects whose action prefix is not a model's name (or whose model's name reads worse here).
OBJECTS = {
    "suggestion": "代表建议",
    "motion": "代表议案",
    "opinion": "群众意见",
    "user": "用户",
    "attendance": "培训出勤",
    "session_attendance": "会议出勤",
    "points_scheme": "积分方案",
    "scoring_scheme": "考评方案",
    "station": "家站",
    "delegation": "代表团",
    "output": "履职成果",
    "trainingsession": "培训",
}
VERBS = {
    "create": "新增",
    "update": "修改",
    "edit": "修改",
    "delete": "删除",
    "publish": "发布",
    "download": "下载",
    "attachment_download": "下载附件",
    "reply": "答复",
    "merge": "合并",
    "submit": "提交",
    "record": "登记",
    "invite": "邀请",
    "mark": "登记出勤",
    "mark_rest_absent": "其余记为缺席",
    "sign_in": "签到",
    "leave_request": "请假申请",
    "leave_decide": "审批请假",
    "members_add": "添加成员",
    "schedule": "排班",
    "code_renew": "更换签到码",
    "signin_open": "开放签到",
    "converted": "由群众意见转来",
    "test": "测试",
}
_verbs: dict[str, dict[str, str]] = {}
_actions: dict[str, str] = {}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def register_verbs(prefix: str, verbs: Mapping[str, str]) -> None:
    """Name the verbs of `<prefix>.<verb>` actions (an app's own steps, e.g. the suggestion course's)."""
    _verbs.setdefault(prefix, {}).update({str(k): str(v) for k, v in verbs.items()})


def register_actions(names: Mapping[str, str]) -> None:
    """Name whole actions an app writes (in its `AppConfig.ready`, before the first page asks for a name)."""
    _actions.update({str(k): str(v) for k, v in names.items()})


@functools.cache
def _whole_actions() -> dict[str, str]:
    return {**ACTIONS, **_actions}


@functools.cache
def _model_names() -> dict[str, str]:
    from django.apps import apps

    names = {}
    for model in apps.get_models():
        name = str(model._meta.verbose_name)
        if _CJK.search(name):
            names[model._meta.model_name] = name
    return names


def action_label(action: str) -> str:
    """The action's Chinese name; the action as stored when nothing names it."""
    if action in _whole_actions():
        return _whole_actions()[action]
    prefix, _, verb = action.rpartition(".")
    if prefix == "bench":  # one row for each part of the bench province built (manage.py bench_data)
        return f"生成基准数据：{verb}"
    noun = OBJECTS.get(prefix) or _model_names().get(prefix)
    verb_name = _verbs.get(prefix, {}).get(verb) or VERBS.get(verb)
    if noun and verb_name:
        return f"{noun}：{verb_name}"
    return action


@functools.cache
def _named_actions() -> dict[str, str]:
    """{action: name} for every action this module can name (built at the first search, after the apps registered
    their verbs in `AppConfig.ready`)."""
    candidates = set(_whole_actions())
    for prefix in set(OBJECTS) | set(_model_names()) | set(_verbs):
        candidates |= {f"{prefix}.{verb}" for verb in (*VERBS, *_verbs.get(prefix, {}))}
    return {a: name for a in sorted(candidates) if (name := action_label(a)) != a}


def actions_named(text: str) -> list[str]:
    """Every action this module can name whose name contains `text` (the 操作 filter's search in Chinese)."""
    return [a for a, name in _named_actions().items() if text in name]
