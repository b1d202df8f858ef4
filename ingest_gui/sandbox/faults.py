"""Fault injection: a seeded, reproducible share of 500s, 503s, 429s, cut connections and latency.

Spec format, comma-separated, every part optional::

    500=0.05,503=0.02,429=0.05,drop=0.02,latency=0-50ms,seed=3

Probabilities are fractions of write calls (0 to 1, summing to at most 1). ``latency`` is a
range ``A-B`` or a single value, in ``ms`` (the default unit) or ``s``. With a ``seed`` the n-th
write call always gets the same fault and delay; without one the sequence is random.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass

#: Fault kinds, in the order their probabilities are stacked on one uniform draw.
KINDS = ("500", "503", "429", "drop")

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*")


@dataclass(frozen=True, slots=True)
class FaultPlan:
    probabilities: tuple[tuple[str, float], ...] = ()
    latency: tuple[float, float] | None = None  # seconds
    seed: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.probabilities) or self.latency is not None

    @classmethod
    def parse(cls, spec: str | None) -> FaultPlan:
        """Read a fault spec; raise ``ValueError`` with a readable sentence if it is wrong."""
        if spec is None or not spec.strip():
            return cls()
        probabilities: dict[str, float] = {}
        latency: tuple[float, float] | None = None
        seed: int | None = None
        seen: set[str] = set()
        for raw_part in spec.split(","):
            part = raw_part.strip()
            if not part:
                continue
            key, equals, value = (text.strip() for text in part.partition("="))
            if not equals or not value:
                raise ValueError(
                    f"Fault spec part {part!r} must look like KEY=VALUE, "
                    f"e.g. '500=0.05' or 'latency=0-50ms'."
                )
            key = key.lower()
            if key in seen:
                raise ValueError(f"Fault spec names {key!r} twice.")
            seen.add(key)
            if key in KINDS:
                probabilities[key] = _probability(key, value)
            elif key == "latency":
                latency = _latency(value)
            elif key == "seed":
                try:
                    seed = int(value)
                except ValueError:
                    raise ValueError(
                        f"Fault spec seed {value!r} must be a whole number."
                    ) from None
            else:
                raise ValueError(
                    f"Unknown fault {key!r} in the fault spec: use 500, 503, 429, drop, "
                    f"latency or seed, e.g. '500=0.05,drop=0.02,latency=0-50ms,seed=3'."
                )
        total = sum(probabilities.values())
        if total > 1.0 + 1e-9:
            raise ValueError(
                f"Fault probabilities add up to {total:g}; together they can be at most 1."
            )
        ordered = tuple((kind, probabilities[kind]) for kind in KINDS
                        if probabilities.get(kind, 0.0) > 0.0)
        return cls(ordered, latency, seed)


def _probability(kind: str, value: str) -> float:
    try:
        probability = float(value)
    except ValueError:
        probability = -1.0
    if not 0.0 <= probability <= 1.0:
        raise ValueError(
            f"Fault probability {kind}={value!r} must be a number between 0 and 1, e.g. 0.05."
        )
    return probability


def _seconds(text: str, whole: str) -> float:
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(
            f"Fault latency {whole!r} must be a duration or a range like '0-50ms' or '0.1-1s'."
        )
    amount = float(match.group(1))
    return amount if match.group(2) == "s" else amount / 1000.0


def _latency(value: str) -> tuple[float, float]:
    unit = "s" if value.rstrip().endswith("s") and not value.rstrip().endswith("ms") else "ms"
    low_text, dash, high_text = value.partition("-")
    if dash:
        # "0-50ms": the unit written once applies to both ends.
        if not low_text.strip().endswith(("s", "ms")):
            low_text += unit
        low, high = _seconds(low_text, value), _seconds(high_text, value)
    else:
        low = high = _seconds(value, value)
    if high < low:
        raise ValueError(f"Fault latency {value!r} must go from the smaller to the larger value.")
    return low, high


class FaultInjector:
    """Draws the fault (or none) and the delay of each write call, in arrival order."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._random = random.Random(plan.seed)
        self._lock = threading.Lock()

    def draw(self) -> tuple[str | None, float]:
        """``(kind or None, delay in seconds)`` for the next write call."""
        plan = self.plan
        if not plan.active:
            return None, 0.0
        with self._lock:
            # Always two draws per call, so the n-th call's outcome depends only on the seed.
            roll = self._random.random()
            spread = self._random.random()
        kind: str | None = None
        threshold = 0.0
        for candidate, probability in plan.probabilities:
            threshold += probability
            if roll < threshold:
                kind = candidate
                break
        delay = 0.0
        if plan.latency is not None:
            low, high = plan.latency
            delay = low + (high - low) * spread
        return kind, delay
