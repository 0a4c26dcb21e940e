"""A congress's rules for motions (how many signers, the report period), each write audited."""

from __future__ import annotations

from typing import Any

from deputyhome.core.services import model_create, model_update

from ..models import MotionRules


def motion_rules_create(*, data: dict[str, Any], actor: Any) -> MotionRules:
    return model_create(model=MotionRules, data=data, actor=actor)


def motion_rules_update(*, motion_rules: MotionRules, data: dict[str, Any], actor: Any) -> MotionRules:
    return model_update(instance=motion_rules, data=data, actor=actor)
