"""The transition table of a suggestion's course (workflow.py), exhaustively and without a database,
plus checks that an illegal step asked of the services writes nothing at all.

Every (state, action) pair of State × Action is tried with every ActorRole: where the table has the
pair and lists the role, `transition` answers the table's next state; otherwise it raises
IllegalTransition with a Chinese message naming the state and action, or the roles that may act.
"""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from deputyhome.suggestions.choices import Action, ActorRole, State
from deputyhome.suggestions.workflow import OPEN_STATES, TRANSITIONS, IllegalTransition, allowed_actions, transition
from deputyhome.testing import reply_to

PAIRS = list(itertools.product(State, Action))
ROLES = list(ActorRole)
CJK = re.compile(r"[\u4e00-\u9fff]")


def pair_id(pair: tuple[State, Action]) -> str:
    return f"{pair[0].value}-{pair[1].value}"


# The whole table, pair by pair and role by role ------------------------------------------------------------

_covered: set[tuple[str, str]] = set()


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_every_state_action_pair_for_every_role(pair):
    state, action = pair
    _covered.add((state.value, action.value))
    move = TRANSITIONS.get((state, action))
    for role in ROLES:
        if move is not None and role in move.parts:
            assert transition(state, action, {role}) in move.to, (state, action, role)
            continue
        with pytest.raises(IllegalTransition) as caught:
            transition(state, action, {role})
        message = str(caught.value)
        assert CJK.search(message), message
        assert str(action.label) in message, message
        if move is None:
            # Not a move of this state at all: the message names the state and the action.
            assert message == f"建议处于“{state.label}”状态，不能执行“{action.label}”。"
        else:
            # A move of this state, but not for this role: the message names who may do it.
            assert message.startswith(f"“{action.label}”只能由")
            for allowed in move.parts:
                assert str(ActorRole(allowed).label) in message, (message, allowed)


def test_all_pairs_were_covered(request):
    """Every pair of State × Action is a case of the test above, and (when the whole module ran) was tried."""
    mark = next(m for m in test_every_state_action_pair_for_every_role.pytestmark if m.name == "parametrize")
    cases = [(s.value, a.value) for s, a in mark.args[1]]
    assert len(cases) == len(set(cases)) == len(State) * len(Action)
    assert set(cases) == {(s.value, a.value) for s in State for a in Action}
    collected = [i for i in request.session.items if i.originalname == "test_every_state_action_pair_for_every_role"]
    if len(collected) == len(cases):  # not narrowed with -k: the cases ran before this test
        assert _covered == set(cases)


def test_the_table_uses_only_known_states_actions_and_roles():
    for (state, action), move in TRANSITIONS.items():
        assert state in State.values and action in Action.values
        assert move.to <= set(State.values)
        assert move.parts and move.parts <= set(ActorRole.values), (state, action)
    assert set(TRANSITIONS) <= {(s.value, a.value) for s, a in PAIRS}


# Some moves spelled out, so that a change to the table is a deliberate one ----------------------------------


@pytest.mark.parametrize(
    ("state", "action", "role", "to"),
    [
        (State.DRAFT, Action.SUBMIT, ActorRole.AUTHOR, State.SUBMITTED),
        (State.DRAFT, Action.SUBMIT, ActorRole.ENTRY, State.SUBMITTED),
        (State.SUBMITTED, Action.REGISTER, ActorRole.STAFF, State.REGISTERED),
        (State.SUBMITTED, Action.RETURN, ActorRole.STAFF, State.RETURNED),
        (State.RETURNED, Action.SUBMIT, ActorRole.AUTHOR, State.SUBMITTED),
        (State.REGISTERED, Action.ASSIGN, ActorRole.STAFF, State.ASSIGNED),
        (State.ASSIGNED, Action.RECEIVE, ActorRole.LEAD_UNIT, State.HANDLING),
        (State.ASSIGNED, Action.UNIT_RETURN, ActorRole.LEAD_UNIT, State.REGISTERED),
        (State.HANDLING, Action.CONSULT, ActorRole.LEAD_UNIT, State.HANDLING),
        (State.HANDLING, Action.CO_OPINION, ActorRole.CO_UNIT, State.HANDLING),
        (State.HANDLING, Action.REPLY, ActorRole.LEAD_UNIT, State.REPLIED),
        (State.REPLIED, Action.ACCEPT_REPLY, ActorRole.STAFF, State.AWAITING_EVALUATION),
        (State.REPLIED, Action.SEND_BACK_REPLY, ActorRole.STAFF, State.HANDLING),
        (State.AWAITING_EVALUATION, Action.EVALUATE, ActorRole.COSIGNER, State.AWAITING_EVALUATION),
        (State.AWAITING_EVALUATION, Action.REHANDLE, ActorRole.SYSTEM, State.REHANDLING),
        (State.AWAITING_EVALUATION, Action.CLOSE, ActorRole.SYSTEM, State.CLOSED),
        (State.REHANDLING, Action.REPLY, ActorRole.LEAD_UNIT, State.REPLIED),
        (State.CLOSED, Action.SUPERVISE, ActorRole.SUPERVISOR, State.CLOSED),
    ],
)
def test_named_moves(state, action, role, to):
    assert transition(state, action, [role]) == to


@pytest.mark.parametrize(
    ("state", "action", "role", "fragment"),
    [
        (State.DRAFT, Action.REGISTER, ActorRole.STAFF, "建议处于“草稿”状态，不能执行“审查通过并立案”。"),
        (State.CLOSED, Action.EVALUATE, ActorRole.AUTHOR, "建议处于“已办结”状态，不能执行“评价”。"),
        (State.WITHDRAWN, Action.SUBMIT, ActorRole.AUTHOR, "建议处于“已撤回”状态，不能执行“提交”。"),
        (State.ASSIGNED, Action.REPLY, ActorRole.LEAD_UNIT, "建议处于“已交办”状态，不能执行“答复”。"),
        (State.SUBMITTED, Action.REGISTER, ActorRole.AUTHOR, "“审查通过并立案”只能由代工委执行。"),
        (State.ASSIGNED, Action.RECEIVE, ActorRole.CO_UNIT, "“签收”只能由主办单位执行。"),
        (State.AWAITING_EVALUATION, Action.CLOSE, ActorRole.STAFF, "“办结”只能由系统执行。"),
    ],
)
def test_messages_read_well(state, action, role, fragment):
    with pytest.raises(IllegalTransition, match=re.escape(fragment)):
        transition(state, action, {role})


def test_a_message_lists_every_allowed_role():
    with pytest.raises(IllegalTransition) as caught:
        transition(State.DRAFT, Action.SUBMIT, {ActorRole.STAFF})
    message = str(caught.value)
    assert "领衔代表" in message and "代为录入的工作人员" in message and "、" in message


def test_roles_may_be_any_iterable_and_one_allowed_role_is_enough():
    assert transition(State.SUBMITTED, Action.REGISTER, iter([ActorRole.AUTHOR, ActorRole.STAFF])) == State.REGISTERED
    assert transition(State.SUBMITTED, Action.REGISTER, (r for r in ["staff"])) == State.REGISTERED
    with pytest.raises(IllegalTransition):
        transition(State.SUBMITTED, Action.REGISTER, set())


def test_unknown_values_are_refused():
    with pytest.raises(ValueError):
        transition("lost", Action.SUBMIT, {ActorRole.AUTHOR})
    with pytest.raises(ValueError):
        transition(State.DRAFT, "teleport", {ActorRole.AUTHOR})


# allowed_actions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
def test_allowed_actions_agrees_with_transition_for_every_role(state):
    table_order = [a for (s, a) in TRANSITIONS if s == state]
    for role in ROLES:
        actions = allowed_actions(state, {role})
        assert actions == [a for a in table_order if role in TRANSITIONS[(state, a)].parts]
        for action in Action:
            if action in actions:
                assert transition(state, action, {role}) in TRANSITIONS[(state, action)].to
            else:
                with pytest.raises(IllegalTransition):
                    transition(state, action, {role})
    everyone = allowed_actions(state, ROLES)
    assert everyone == table_order
    assert allowed_actions(state, []) == []


def test_allowed_actions_examples():
    assert allowed_actions(State.DRAFT, {ActorRole.AUTHOR}) == [Action.EDIT, Action.SUBMIT, Action.WITHDRAW]
    assert allowed_actions(State.SUBMITTED, {ActorRole.STAFF}) == [Action.RETURN, Action.REGISTER]
    assert allowed_actions(State.SUBMITTED, {ActorRole.COSIGNER}) == [Action.CONFIRM_COSIGN]
    assert allowed_actions(State.ASSIGNED, {ActorRole.LEAD_UNIT}) == [Action.RECEIVE, Action.UNIT_RETURN]
    assert allowed_actions(State.HANDLING, {ActorRole.CO_UNIT}) == [Action.CO_OPINION]
    assert allowed_actions(State.REHANDLING, {ActorRole.LEAD_UNIT}) == [Action.CONSULT, Action.REPLY]
    assert allowed_actions(State.AWAITING_EVALUATION, {ActorRole.AUTHOR}) == [Action.EVALUATE]
    assert allowed_actions(State.CLOSED, {ActorRole.STAFF}) == [Action.SUPERVISE]
    assert allowed_actions(State.CLOSED, {ActorRole.AUTHOR, ActorRole.LEAD_UNIT}) == []
    # Roles combine: a city officer is both staff and the one entering drafts.
    assert allowed_actions(State.DRAFT, {ActorRole.STAFF, ActorRole.ENTRY}) == [
        Action.EDIT,
        Action.SUBMIT,
        Action.WITHDRAW,
    ]


def test_withdrawn_is_final_and_closed_only_takes_supervision():
    for role in ROLES:
        assert allowed_actions(State.WITHDRAWN, {role}) == []
    assert {a for (s, a) in TRANSITIONS if s == State.CLOSED} == {Action.SUPERVISE}


def test_supervision_is_possible_in_every_open_state():
    for state in OPEN_STATES:
        assert {Action.MARK_KEY, Action.SUPERVISE, Action.REMIND} <= set(allowed_actions(state, {ActorRole.SUPERVISOR}))
        assert Action.REMIND in allowed_actions(state, {ActorRole.SYSTEM})


def test_every_state_is_reachable_and_every_open_course_can_end():
    graph: dict[str, set[str]] = {}
    for (state, _action), move in TRANSITIONS.items():
        graph.setdefault(state, set()).update(move.to)

    def reachable(start: str) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    assert reachable(State.DRAFT) == set(State.values)
    for state in State:
        if state not in (State.CLOSED, State.WITHDRAWN):
            assert reachable(state) & {State.CLOSED, State.WITHDRAWN}, state


# Through the services: an illegal step writes nothing ------------------------------------------------------


def _snapshot(s):
    from deputyhome.audit.models import AuditEvent
    from deputyhome.suggestions import models as m

    row = model_to_dict(m.Suggestion.objects.get(pk=s.pk))
    row["updated_at"] = m.Suggestion.objects.values_list("updated_at", flat=True).get(pk=s.pk)
    return {
        "suggestion": row,
        "events": list(m.Event.objects.order_by("id").values_list("id", "action")),
        "audit": AuditEvent.objects.count(),
        "replies": list(m.Reply.objects.order_by("id").values("id", "review_status", "review_note")),
        "assignments": list(m.Assignment.objects.order_by("id").values()),
        "consultations": m.Consultation.objects.count(),
        "evaluations": m.Evaluation.objects.count(),
        "extensions": m.Extension.objects.count(),
        "cosigners": list(m.CoSigner.objects.order_by("id").values()),
        "supervision": m.SupervisionRecord.objects.count(),
    }


STAGES = ("draft", "submitted", "assigned", "handling", "replied", "awaiting", "closed")


@pytest.fixture
def course(city, people, categories):
    """`course(stage)`: a suggestion by `deputy` (co-signed and confirmed by `cosigner`) brought to `stage`."""
    from deputyhome.suggestions import services as sv

    cats, classes = categories
    deputy, cos, staff, unit = people["deputy"], people["cosigner"], people["city"], people["unit"]

    def _course(stage: str):
        s = sv.suggestion_create(
            author=deputy.deputy,
            data={"title": "关于完善舞阳坝街道路灯的建议", "proposals": "增设路灯"},
            actor=deputy,
            cosigners=[cos.deputy],
        )
        steps = [
            lambda: (
                sv.suggestion_submit(suggestion=s, actor=deputy),
                sv.suggestion_confirm_cosign(suggestion=s, actor=cos),
            ),
            lambda: (
                sv.suggestion_register(suggestion=s, category=cats["城乡建设与管理"], actor=staff),
                sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, co_units=[city.unit_b], actor=staff),
            ),
            lambda: (
                sv.suggestion_receive(suggestion=s, actor=unit),
                sv.suggestion_co_opinion(suggestion=s, opinion="同意", actor=people["unit_b"]),
            ),
            lambda: (
                sv.suggestion_consult(
                    suggestion=s, date=datetime.date.today(), way="phone", notes="电话沟通", actor=unit
                ),
                reply_to(s, unit, classes["A"], text="已安排"),
            ),
            lambda: sv.suggestion_review_reply(suggestion=s, accept=True, note="", actor=staff),
            lambda: (
                sv.suggestion_evaluate(
                    suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=deputy
                ),
                sv.suggestion_evaluate(suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=cos),
            ),
        ]
        for step in steps[: STAGES.index(stage)]:
            step()
        s.refresh_from_db()
        return s

    return _course


def _illegal_calls(people, city, categories):
    from deputyhome.suggestions import services as sv

    cats, classes = categories
    p = people
    return {
        # stage, who, what
        "deputy registers": (
            "submitted",
            lambda s: sv.suggestion_register(suggestion=s, category=cats["其他"], actor=p["deputy"]),
        ),
        "unit assigns": (
            "submitted",
            lambda s: sv.suggestion_assign(suggestion=s, lead_unit=city.unit_a, actor=p["unit"]),
        ),
        "staff submits a submitted one": ("submitted", lambda s: sv.suggestion_submit(suggestion=s, actor=p["city"])),
        "co-unit signs for it": ("assigned", lambda s: sv.suggestion_receive(suggestion=s, actor=p["unit_b"])),
        "reply before signing": (
            "assigned",
            lambda s: reply_to(s, p["unit"], classes["A"], text="x"),
        ),
        "co-unit consults": (
            "handling",
            lambda s: sv.suggestion_consult(
                suggestion=s, date=datetime.date.today(), way="phone", notes="x", actor=p["unit_b"]
            ),
        ),
        "unit withdraws": ("handling", lambda s: sv.suggestion_withdraw(suggestion=s, actor=p["unit"])),
        "deputy evaluates while handling": (
            "handling",
            lambda s: sv.suggestion_evaluate(
                suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=p["deputy"]
            ),
        ),
        "staff waives on a draft": (
            "draft",
            lambda s: sv.suggestion_waive_consultation(suggestion=s, note="x", actor=p["city"]),
        ),
        "supervisor marks a draft key": (
            "draft",
            lambda s: sv.suggestion_mark_key(suggestion=s, leader="王主任", actor=p["supervisor"]),
        ),
        "unit accepts its own reply": (
            "replied",
            lambda s: sv.suggestion_review_reply(suggestion=s, accept=True, note="自己通过", actor=p["unit"]),
        ),
        "deputy sends the reply back": (
            "replied",
            lambda s: sv.suggestion_review_reply(suggestion=s, accept=False, note="不行", actor=p["deputy"]),
        ),
        "staff evaluates for the deputy": (
            "awaiting",
            lambda s: sv.suggestion_evaluate(
                suggestion=s, attitude="satisfied", result="satisfied", comment="", actor=p["city"]
            ),
        ),
        "unit replies again after closing": (
            "closed",
            lambda s: reply_to(s, p["unit"], classes["A"], text="x"),
        ),
        "no-evaluation while handling": ("handling", lambda s: sv.suggestion_record_no_evaluation(suggestion=s)),
        "supervision record on a draft": (
            "draft",
            lambda s: sv.supervision_record_add(
                suggestion=s,
                method="documents",
                date=datetime.date.today(),
                findings="x",
                follow_up="",
                actor=p["supervisor"],
            ),
        ),
    }


ILLEGAL = [
    "deputy registers",
    "unit assigns",
    "staff submits a submitted one",
    "co-unit signs for it",
    "reply before signing",
    "co-unit consults",
    "unit withdraws",
    "deputy evaluates while handling",
    "staff waives on a draft",
    "supervisor marks a draft key",
    "unit accepts its own reply",
    "deputy sends the reply back",
    "staff evaluates for the deputy",
    "unit replies again after closing",
    "no-evaluation while handling",
    "supervision record on a draft",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ILLEGAL)
def test_an_illegal_step_through_the_services_writes_nothing(
    name, course, people, city, categories, django_capture_on_commit_callbacks
):
    stage, call = _illegal_calls(people, city, categories)[name]
    s = course(stage)
    before = _snapshot(s)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(IllegalTransition) as caught:
        call(s)
    assert CJK.search(str(caught.value))
    assert _snapshot(s) == before
    assert callbacks == []  # and nobody is notified


@pytest.mark.django_db
def test_an_illegal_decision_on_an_extension_leaves_the_request_pending(course, people, city, categories):
    """The request (legal, by the unit) is written; the unit's own decision on it (illegal) is not."""
    from deputyhome.suggestions import services as sv
    from deputyhome.suggestions.choices import ExtensionStatus

    s = course("handling")
    ext = sv.suggestion_request_extension(suggestion=s, months=1, reason="需协调多部门", actor=people["unit"])
    before = _snapshot(s)
    with pytest.raises(IllegalTransition, match="“审批延期”只能由代工委执行"):
        sv.suggestion_decide_extension(extension=ext, approve=True, note="", actor=people["unit"])
    assert _snapshot(s) == before
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.PENDING and ext.new_due_on is None


@pytest.mark.django_db
def test_a_legal_step_after_refusals_still_writes_once(course, people):
    """The refusals leave the suggestion usable: the right person then does the step, once."""
    from deputyhome.audit.models import AuditEvent
    from deputyhome.suggestions import services as sv

    s = course("assigned")
    events, audits = s.events.count(), AuditEvent.objects.count()
    for who in ("deputy", "unit_b", "city", "cosigner", "supervisor"):
        with pytest.raises(IllegalTransition):
            sv.suggestion_receive(suggestion=s, actor=people[who])
    sv.suggestion_receive(suggestion=s, actor=people["unit"])
    s.refresh_from_db()
    assert s.state == State.HANDLING
    assert s.events.count() == events + 1 and s.events.last().action == Action.RECEIVE
    assert AuditEvent.objects.count() == audits + 1


@pytest.mark.django_db
def test_a_validation_error_after_the_check_writes_nothing_either(course, people, categories):
    """Legal move, bad content: the reply without a consultation is refused and nothing is kept."""

    _, classes = categories
    s = course("handling")
    before = _snapshot(s)
    with pytest.raises(ValidationError, match="沟通联系"):
        reply_to(s, people["unit"], classes["A"])
    assert _snapshot(s) == before
