"""What a check says: a `Result`, shown as one line in text and as a coloured verdict in HTML.

Statuses: ``todo`` ("not done yet"), ``correct``, ``mistake`` (a named diagnosis), ``wrong``
(no known mistake: the message says which value, case and entries differ), ``error`` (the
function raised, ran out of time, or returned something that is not a result).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Callable

SYMBOLS = {"todo": "…", "correct": "✔", "mistake": "✘", "wrong": "✘", "error": "✘"}
WORDS = {
    "todo": "not done yet",
    "correct": "correct",
    "mistake": "not yet",
    "wrong": "not yet",
    "error": "not yet",
}
COLOURS = {"todo": "#57606a", "correct": "#1a7f37", "mistake": "#b42318", "wrong": "#b42318"}
COLOURS["error"] = COLOURS["wrong"]


def error_bound(error: float) -> str:
    """A largest relative error as a bound that does not depend on the machine's last bits:
    'below 1e-12' for anything at rounding level (0 included), else 'below 1e-9' style."""
    if not math.isfinite(error) or error <= 1e-12:
        return "below 1e-12"
    return f"below 1e{math.ceil(math.log10(error))}"


class Usable:
    """The function later cells should call: the student's once its check passes, else the
    reference. Calling it calls that function; its display says which one it is."""

    def __init__(self, result):
        self.result = result
        self.function = result.function
        self.is_yours = result.ok
        self.name = result.name

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def __repr__(self):
        short = self.result.exercise.split(" (")[0]
        if self.is_yours:
            return f"using your {self.name} ({short} passed)"
        return f"using the reference {self.name} until {short} passes"

    __str__ = __repr__


@dataclass
class Result:
    """What a check found.

    Attributes
    ----------
    exercise : str, e.g. "Exercise 4.1 (backward pass of one layer)"
    status : "todo", "correct", "mistake", "wrong" or "error"; `ok` is status == "correct"
    message : str, what to tell the student
    diagnosis : str or None, the key of the mistake found ("sign", "scale", "raised", ...)
    evidence : dict, e.g. {"max_error": 2e-16, "cases": 4, "exact": False}
    function : the student's function once correct, the reference until then (never assign it
        to the student's own name: use `usable` in the cells that need a working version)
    reference, student : the two functions compared
    name : str, the name of the function the exercise asks for
    """

    exercise: str
    status: str
    message: str
    function: Callable = None
    diagnosis: str | None = None
    evidence: dict = field(default_factory=dict)
    reference: Callable = None
    student: Callable = None
    name: str = "function"

    def __post_init__(self):
        if self.function is None:
            self.function = self.student if self.ok else self.reference

    @property
    def ok(self):
        return self.status == "correct"

    @property
    def usable(self):
        """A `Usable`: the function later cells should call, saying which one it is."""
        return Usable(self)

    def evidence_text(self):
        if not self.ok or "cases" not in self.evidence:
            return ""
        cases = self.evidence["cases"]
        if self.evidence.get("exact"):
            return f"every value exact on {cases} cases"
        return f"largest relative error {error_bound(self.evidence['max_error'])} on {cases} cases"

    def __repr__(self):
        extra = self.evidence_text()
        extra = f" ({extra})" if extra else ""
        return f"{SYMBOLS[self.status]} {self.exercise}: {self.message}{extra}"

    __str__ = __repr__

    def _repr_html_(self):
        colour = COLOURS[self.status]
        word = WORDS[self.status]
        evidence = self.evidence_text()
        parts = [
            f'<div class="bpcourse-verdict bpcourse-verdict-{self.status}" role="status" '
            'style="font-family: var(--jp-ui-font-family, sans-serif); line-height: 1.45; '
            "white-space: normal; overflow-wrap: break-word; word-break: normal; "
            f'border-left: 4px solid {colour}; padding: 2px 0 2px 8px; margin: 2px 0">',
            f'<span style="color: {colour}; font-weight: bold">'
            f'<span aria-hidden="true">{SYMBOLS[self.status]}</span> {html.escape(word)}</span>'
            f" &middot; <b>{html.escape(self.exercise)}</b>",
        ]
        message = self.message.removeprefix("not yet: ")
        if message != word:
            parts.append(f'<div class="bpcourse-verdict-message">{html.escape(message)}</div>')
        if evidence:
            parts.append(
                f'<div class="bpcourse-verdict-evidence" style="font-size: 85%; '
                f'color: #57606a">{html.escape(evidence)}</div>'
            )
        parts.append("</div>")
        return "".join(parts)
