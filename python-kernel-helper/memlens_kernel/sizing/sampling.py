"""Estimators for sampled containers.

A big container is sized from ``k`` of its ``n`` items. Items may repeat (a
column holding three distinct strings a million times), so plain scaling by
``n / k`` can be off by orders of magnitude. The estimator is Good-Turing's:
objects seen exactly once in the sample predict how often an unsampled
position holds an object not seen yet.

    estimate = sum(sizes of distinct sampled objects)
             + (n - k) * sum(sizes of singletons) / k

All distinct: this is ``n * mean``. All repeated: the distinct objects once.
"""

from __future__ import annotations

import math
import operator
import random
from collections import Counter
from typing import Dict, List, Sequence, Tuple

Z = 3.0  # the bound is about three standard errors


def sample_positions(n: int, k: int, rng: random.Random) -> List[int]:
    """``k`` positions spread over ``range(n)``: a random offset in each stratum."""
    if k >= n:
        return list(range(n))
    step = n / k
    rand = rng.random
    positions = [int((i + rand()) * step) for i in range(k)]
    if positions[-1] >= n:  # float rounding at the very end
        positions[-1] = n - 1
    return positions


def extrapolate(n: int, sizes: Sequence[float], ids: Sequence[int]) -> Tuple[float, float]:
    """Estimate the bytes of all ``n`` items from a sample.

    ``sizes[j]`` is what sampled position ``j`` added (0 when its object was
    already counted), ``ids[j]`` the identity of the object at that position.
    Returns ``(estimate, absolute_error_bound)``.
    """
    k = len(sizes)
    if k == 0 or n <= 0:
        return 0.0, 0.0
    total = float(sum(sizes))
    if k >= n:
        return total, 0.0
    if len(set(ids)) == k:  # all distinct (the common case): no counting
        freq: Dict[int, int] = {}
        singles = list(sizes)
    else:
        freq = Counter(ids)
        singles = [s for s, i in zip(sizes, ids) if freq[i] == 1]
    f1 = len(singles)
    s1 = float(sum(singles))
    rest = n - k
    estimate = total + rest * s1 / k
    fpc = math.sqrt(max(0.0, 1.0 - k / n))
    if f1 == k:
        mean = s1 / k
        dev = [s - mean for s in singles]
        var = sum(map(operator.mul, dev, dev)) / max(1, k - 1)
        err = Z * math.sqrt(var / k) * fpc * n
        return estimate, err
    # Some repetition: the share of new objects itself is uncertain.
    distinct = len(freq) if freq else k
    mean_distinct = total / distinct if distinct else 0.0
    mean_single = s1 / f1 if f1 else mean_distinct
    p = f1 / k
    p_err = Z * math.sqrt(max(p * (1 - p), 1.0 / k) / k)
    err = rest * p_err * max(mean_single, mean_distinct)
    return estimate, err
