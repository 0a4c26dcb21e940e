"""Random draws the demo's parts share."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def weighted(rng: random.Random, pairs: Sequence[tuple[T, int]]) -> T:
    """One value of (value, weight) pairs, drawn by weight."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]
