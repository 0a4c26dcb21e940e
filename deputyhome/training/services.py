"""Writes to training. Each service is one transaction with its audit row; bad input raises
ValidationError with a Chinese message and writes nothing."""

from __future__ import annotations

import datetime
import re
import secrets
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import record
from deputyhome.core.services import model_create, model_delete, model_update
from deputyhome.deputies.models import Deputy

from . import selectors
from .choices import AttendanceStatus, OrganiserLevel, SignInWay
from .models import Attendance, Material, MaterialDistribution, TrainingPlan, TrainingSession

if TYPE_CHECKING:
    from deputyhome.organisation.models import Region

SIGNIN_CODE_LENGTH = 6
SIGNIN_CODE_ALPHABET = "0123456789"  # digits only: a phone shows its number pad for them
# Wrong codes a deputy may type per day before the sign-in page stops trying (6 digits are
# a million codes: this keeps guessing pointless).
MAX_WRONG_CODES_PER_DAY = 10
SIGNIN_ACTION = "attendance.sign_in"


def _today() -> datetime.date:
    return timezone.localdate()


def _require_organiser(actor: Any, level: str, region: Region | None) -> None:
    if not selectors.may_organise(actor, level, region):
        if level == OrganiserLevel.CITY:
            raise ValidationError({"level": "市级培训由市人大常委会代工委组织，您只能组织本乡镇（街道）的培训。"})
        raise ValidationError({"region": "您只能组织本乡镇（街道）的培训。"})


def _organiser_data(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if data.get("level") == OrganiserLevel.CITY:
        data["region"] = None
    return data


# Plans ------------------------------------------------------------------------------------------------


def plan_create(*, data: dict[str, Any], actor: Any) -> TrainingPlan:
    data = _organiser_data(data)
    _require_organiser(actor, data.get("level", OrganiserLevel.CITY), data.get("region"))
    return model_create(model=TrainingPlan, data=data, actor=actor)


def plan_update(*, plan: TrainingPlan, data: dict[str, Any], actor: Any) -> TrainingPlan:
    data = _organiser_data(data)
    _require_organiser(actor, data.get("level", plan.level), data.get("region", plan.region))
    return model_update(instance=plan, data=data, actor=actor)


def plan_delete(*, plan: TrainingPlan, actor: Any) -> None:
    if plan.sessions.exists():
        raise ValidationError(f"“{plan}”下已有 {plan.sessions.count()} 次培训，请先删除或改挂这些培训。")
    model_delete(instance=plan, actor=actor)


# Sessions ---------------------------------------------------------------------------------------------


def new_signin_code(*, exclude_open: bool = True) -> str:
    """A random code that no session with open sign-in uses."""
    for _attempt in range(50):
        code = "".join(secrets.choice(SIGNIN_CODE_ALPHABET) for _ in range(SIGNIN_CODE_LENGTH))
        if not exclude_open or not TrainingSession.objects.filter(signin_open=True, signin_code=code).exists():
            return code
    raise ValidationError("暂时无法生成签到码，请稍后重试。")  # pragma: no cover - a million codes


def session_create(*, data: dict[str, Any], actor: Any) -> TrainingSession:
    data = _organiser_data(data)
    _require_organiser(actor, data.get("level", OrganiserLevel.CITY), data.get("region"))
    data.setdefault("signin_code", new_signin_code())
    data["signin_open"] = False
    return model_create(model=TrainingSession, data=data, actor=actor)


def session_update(*, session: TrainingSession, data: dict[str, Any], actor: Any) -> TrainingSession:
    data = _organiser_data(data)
    data.pop("signin_open", None)
    data.pop("signin_code", None)
    _require_organiser(actor, data.get("level", session.level), data.get("region", session.region))
    return model_update(instance=session, data=data, actor=actor)


def session_delete(*, session: TrainingSession, actor: Any) -> None:
    settled = session.attendances.exclude(status=AttendanceStatus.PENDING).count()
    if settled:
        raise ValidationError(f"“{session}”已有 {settled} 条出勤记录（到会、请假或缺席），不能删除。")
    if session.distributions.exists():
        raise ValidationError(f"“{session}”有资料发放记录，不能删除。")
    model_delete(instance=session, actor=actor)


@transaction.atomic
def session_signin_set(*, session: TrainingSession, is_open: bool, actor: Any) -> TrainingSession:
    """Open or close sign-in by code. Opening keeps the printed code unless another open session took it."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.signin_open == is_open:
        return locked
    before = {"signin_open": locked.signin_open, "signin_code": locked.signin_code}
    if is_open:
        if locked.date < _today():
            raise ValidationError(f"培训日期（{locked.date:%Y-%m-%d}）已过，不能再开放签到；请在出勤页面登记。")
        taken = (
            TrainingSession.objects.filter(signin_open=True, signin_code=locked.signin_code)
            .exclude(pk=locked.pk)
            .exists()
        )
        if not locked.signin_code or taken:
            locked.signin_code = new_signin_code()
    locked.signin_open = is_open
    locked.save(update_fields=["signin_open", "signin_code", "updated_at"])
    after = {"signin_open": locked.signin_open, "signin_code": locked.signin_code}
    record(
        actor=actor,
        action="trainingsession.signin_open" if is_open else "trainingsession.signin_close",
        obj=locked,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return locked


@transaction.atomic
def session_code_renew(*, session: TrainingSession, actor: Any) -> TrainingSession:
    """Give the session a new code (e.g. the old one was passed around); the old one stops working."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    old = locked.signin_code
    locked.signin_code = new_signin_code()
    locked.save(update_fields=["signin_code", "updated_at"])
    record(
        actor=actor, action="trainingsession.code_renew", obj=locked, changes={"signin_code": [old, locked.signin_code]}
    )
    return locked


# Invitations and attendance ---------------------------------------------------------------------------


@transaction.atomic
def attendance_invite(*, session: TrainingSession, deputies: Iterable[Deputy | int], actor: Any) -> int:
    """Invite deputies (those already invited are skipped); returns how many were added."""
    ids = {d.pk if isinstance(d, Deputy) else int(d) for d in deputies}
    if not ids:
        raise ValidationError("没有选中任何代表，请先按乡镇、小组、层级等条件查找并勾选要邀请的代表。")
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    allowed = set(Deputy.objects.filter(scopes.deputies_q(actor), pk__in=ids).values_list("pk", flat=True))
    if allowed != ids:
        raise ValidationError(f"有 {len(ids - allowed)} 名代表不在您的管辖范围内，未作邀请。")
    existing = set(locked.attendances.filter(deputy_id__in=ids).values_list("deputy_id", flat=True))
    new = sorted(ids - existing)
    Attendance.objects.bulk_create([Attendance(session=locked, deputy_id=pk, invited=True) for pk in new])
    record(
        actor=actor,
        action="attendance.invite",
        obj=locked,
        changes={"invited": len(new), "already_invited": len(existing), "deputy_ids": new},
    )
    return len(new)


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor: Any) -> None:
    """Withdraw an invitation that has not been settled yet."""
    locked = (
        Attendance.objects.select_for_update(of=("self",)).select_related("deputy", "session").get(pk=attendance.pk)
    )
    if locked.status != AttendanceStatus.PENDING:
        raise ValidationError(f"{locked.deputy.name}已有出勤记录（{locked.get_status_display()}），不能撤销邀请。")
    repr_, pk = str(locked), locked.pk
    locked.delete()
    record(
        actor=actor,
        action="attendance.delete",
        object_type="training.attendance",
        object_id=str(pk),
        object_repr=repr_,
    )


def _label(status: str) -> str:
    return str(AttendanceStatus(status).label)


@transaction.atomic
def attendance_mark(*, session: TrainingSession, marks: dict[int, tuple[str, str]], actor: Any) -> int:
    """Staff record attendance: `marks` maps attendance ids of this session to (status, leave reason).

    All rows are checked first; one bad row (an unknown row, a bad status, leave without a
    reason) refuses the whole submission with a message naming the deputy. Returns how many
    rows changed; one audit row lists the changes.
    """
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    rows = {
        a.pk: a
        # Row locks only, in a fixed order; the model's ordering would add an outer join FOR UPDATE refuses.
        for a in Attendance.objects.select_for_update(of=("self",))
        .filter(session=locked, pk__in=list(marks))
        .select_related("deputy")
        .order_by("pk")
    }
    errors: list[str] = []
    for pk, (status, reason) in marks.items():
        row = rows.get(pk)
        if row is None:
            errors.append(f"第 {pk} 号出勤记录不属于“{locked}”，请刷新页面后重试。")
        elif status not in AttendanceStatus.values:
            errors.append(f"{row.deputy.name}：出勤状态“{status}”无效。")
        elif status == AttendanceStatus.EXCUSED and not (reason or "").strip():
            errors.append(f"{row.deputy.name}：请假须填写请假事由。")
        elif len((reason or "").strip()) > 200:
            errors.append(f"{row.deputy.name}：请假事由不能超过200字。")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    changed: list[Attendance] = []
    changes: dict[str, list[str]] = {}
    for pk, (status, reason) in marks.items():
        row = rows[pk]
        reason = reason.strip() if status == AttendanceStatus.EXCUSED else ""
        if row.status == status and row.excuse_reason == reason:
            continue
        changes[f"{row.deputy.name}（{row.deputy_id}）"] = [_label(row.status), _label(status)]
        if status == AttendanceStatus.PRESENT and row.status != AttendanceStatus.PRESENT:
            row.signed_in_at, row.signin_way = now, SignInWay.STAFF
        elif status != AttendanceStatus.PRESENT:
            row.signed_in_at, row.signin_way = None, ""
        row.status, row.excuse_reason = status, reason
        changed.append(row)
    if changed:
        Attendance.objects.bulk_update(changed, ["status", "excuse_reason", "signed_in_at", "signin_way", "updated_at"])
        record(actor=actor, action="attendance.mark", obj=locked, changes=changes)
    return len(changed)


@transaction.atomic
def attendance_mark_rest_absent(*, session: TrainingSession, actor: Any) -> int:
    """After the session: every invitation still pending becomes absent (缺席)."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.date > _today():
        raise ValidationError("培训尚未举行，不能把未签到的代表记为缺席。")
    pending = locked.attendances.filter(status=AttendanceStatus.PENDING)
    names = list(pending.values_list("deputy__name", flat=True))
    n = pending.update(status=AttendanceStatus.ABSENT, updated_at=timezone.now())
    if n:
        record(actor=actor, action="attendance.mark_rest_absent", obj=locked, changes={"absent": names})
    return n


def normalize_code(value: str) -> str:
    """What the deputy typed, without spaces, with full-width digits (from a Chinese keyboard) made ASCII."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def _wrong_codes_today(user: Any) -> int:
    start = timezone.make_aware(datetime.datetime.combine(_today(), datetime.time.min))
    return AuditEvent.objects.filter(actor=user, action=SIGNIN_ACTION, success=False, at__gte=start).count()


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def attendance_sign_in(*, code: str, user: Any) -> Attendance:
    """A deputy signs in to today's session with its code; an uninvited deputy is added as a walk-in.

    Refusals (ValidationError with a Chinese message and a `code`): `not_deputy`, `format`,
    `too_many`, `wrong_code`, `closed`, `not_today`, `already`. A wrong code is recorded in
    the audit log (as a failed sign-in), which is also what limits guessing.
    """
    if not getattr(user, "deputy_id", None):
        raise _refuse("只有人大代表本人可以用签到码签到；工作人员请在出勤登记页面登记。", "not_deputy")
    typed = normalize_code(code)
    if not typed:
        raise _refuse("请输入签到码。", "format")
    if not re.fullmatch(rf"\d{{{SIGNIN_CODE_LENGTH}}}", typed):
        raise _refuse(f"签到码是{SIGNIN_CODE_LENGTH}位数字，请核对后重新输入。", "format")
    if _wrong_codes_today(user) >= MAX_WRONG_CODES_PER_DAY:
        raise _refuse("今天输错签到码的次数过多，请联系现场工作人员为您登记。", "too_many")
    today = _today()
    session = TrainingSession.objects.filter(signin_open=True, signin_code=typed).first()
    if session is None:
        closed = TrainingSession.objects.filter(signin_code=typed).order_by("-date").first()
        if closed is not None:
            raise _refuse(f"“{closed.title}”的签到尚未开放或已经关闭，请联系现场工作人员。", "closed")
        record(actor=user, action=SIGNIN_ACTION, success=False, detail=f"签到码错误：{typed}")
        raise _refuse("签到码不正确，请核对后重新输入。", "wrong_code")
    if session.date != today:
        when = "已经结束" if session.date < today else "尚未开始"
        raise _refuse(
            f"“{session.title}”在{session.date:%Y年%m月%d日}举行，{when}；签到码只在培训当天有效。", "not_today"
        )
    try:
        return _sign_in(session=session, user=user)
    except IntegrityError as exc:  # a double tap created the walk-in row in between
        raise _refuse("您已签到，无需重复签到。", "already") from exc


@transaction.atomic
def _sign_in(*, session: TrainingSession, user: Any) -> Attendance:
    row = (
        Attendance.objects.select_for_update()
        .filter(session=session, deputy_id=user.deputy_id)
        .order_by("pk")  # not the model's ordering: its outer join cannot be locked
        .first()
    )
    if row is not None and row.status == AttendanceStatus.PRESENT:
        at = timezone.localtime(row.signed_in_at).strftime("%H:%M") if row.signed_in_at else ""
        raise _refuse(f"您已于{at}签到“{session.title}”，无需重复签到。", "already")
    before = _label(row.status) if row else "未邀请"
    if row is None:
        row = Attendance(session=session, deputy_id=user.deputy_id, invited=False)
    row.status = AttendanceStatus.PRESENT
    row.excuse_reason = ""
    row.signed_in_at = timezone.now()
    row.signin_way = SignInWay.SELF
    row.full_clean(validate_unique=False, validate_constraints=False)  # the database enforces one row per deputy
    row.save()
    record(
        actor=user,
        action=SIGNIN_ACTION,
        obj=row,
        changes={"status": [before, _label(AttendanceStatus.PRESENT)], "invited": row.invited},
        detail="" if row.invited else "未受邀请，凭签到码现场加入",
    )
    return row


# Materials --------------------------------------------------------------------------------------------


def material_create(*, data: dict[str, Any], actor: Any) -> Material:
    return model_create(model=Material, data=data, actor=actor)


def material_update(*, material: Material, data: dict[str, Any], actor: Any) -> Material:
    return model_update(instance=material, data=data, actor=actor)


def material_delete(*, material: Material, actor: Any) -> None:
    if material.distributions.exists():
        raise ValidationError(f"“{material}”已有发放记录，不能删除。")
    model_delete(instance=material, actor=actor)


def distribution_create(*, data: dict[str, Any], actor: Any) -> MaterialDistribution:
    deputy, session = data.get("deputy"), data.get("session")
    if deputy is None and session is None:
        raise ValidationError({"deputy": "请选择发放对象：某位代表，或在某次培训中发放。"})
    if deputy is not None and not Deputy.objects.filter(scopes.deputies_q(actor), pk=deputy.pk).exists():
        raise ValidationError({"deputy": f"{deputy.name}不在您的管辖范围内。"})
    if session is not None and not selectors.can_manage(actor, session):
        raise ValidationError({"session": f"“{session}”不是您组织的培训，不能登记在该培训中发放。"})
    return model_create(model=MaterialDistribution, data=data, actor=actor)


def distribution_delete(*, distribution: MaterialDistribution, actor: Any) -> None:
    model_delete(instance=distribution, actor=actor)
