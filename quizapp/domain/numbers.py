"""The one way QuizApp writes a number for a learner to read.

Questions, answers, explanations, worked solutions and feedback all go through
:func:`format_number`, so that ``8,192`` never stands next to ``16384``.
"""

from __future__ import annotations

import math

# Below this, a float is shown in full (to six significant digits); from here on it is
# rounded to a whole number, which reads better than ``1.23457e+06``.
_ROUND_FROM = 1e5
# Beyond this, whole numbers are written in scientific notation (and too big to be exact).
_EXACT_BELOW = 1e15


def format_number(value: int | float) -> str:
    """A number as a learner writes it: ``55``, ``0.125``, ``1,024``, ``40,369.2``, ``-3``.

    Whole numbers get thousands separators from 1,000 on; other numbers keep six
    significant digits.  ``parse_number`` reads every output back.
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < _EXACT_BELOW:
        return f"{int(value):,}"
    if _ROUND_FROM <= abs(value) < _EXACT_BELOW:
        return f"{round(value):,}"
    if abs(value) >= _EXACT_BELOW or (value != 0 and abs(value) < 1e-4):
        return f"{value:.6g}"
    return f"{value:,.6g}"
