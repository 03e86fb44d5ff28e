"""The checklist's outcomes (data/outcomes.yml): which result a set of ticked statements gives.

The rule: a ticked trigger brings the outcome its `outcome` field names or the one named after
its strength (strong, consider), whichever comes first in outcomes.yml; the result is the first
outcome, in that order, that any ticked trigger brings, and `none` (the last) when nothing is
ticked. `brings` resolves each trigger once, at build time, into the checklist page's data, so
the script only has to pick the earliest (checklist.js, `outcome`); `result` is the same pick,
for `make check` to run the named examples without a browser. The browser tests run the same
examples on the page, so the two picks cannot drift apart unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .model import Example, Outcome
from .problems import Problem, field_path
from .schemas import suggestion
from .yamlfile import Document

if TYPE_CHECKING:  # load imports this module
    from .load import Combined

NONE = "none"
# The rule needs these: statements of each strength bring one, and none is the empty answer.
REQUIRED = ("strong", "consider", NONE)


def brings(strength: str, outcome: str | None, order: Sequence[str]) -> str:
    """The outcome one ticked trigger brings on its own."""
    return min(filter(None, (outcome, strength)), key=order.index)


def result(brought: Iterable[str], order: Sequence[str]) -> str:
    """The result of the outcomes the ticked triggers bring."""
    return min(brought, key=order.index, default=NONE)


def check(document: Document, triggers: Combined, guides: set[str]) -> list[Problem]:
    """What no schema can see: outcome ids the rule needs, references in both directions, and the
    examples, each run and named if it no longer gives what it expects. `triggers` is the
    triggers file (load.Combined): core and local triggers may both name an outcome."""
    problems: list[Problem] = []

    def problem(where: tuple[str, int], path: tuple, message: str) -> None:
        problems.append(Problem(*where, field_path(path), message))

    outcomes, examples = document.data["outcomes"], document.data["examples"]
    order: list[str] = []
    path: tuple[str | int, ...]
    for index, outcome in enumerate(outcomes):
        path = ("outcomes", index, "id")
        if outcome["id"] in order:
            first = document.line(("outcomes", order.index(outcome["id"]), "id"))
            problem(
                document.where(path), path, f"the outcome id '{outcome['id']}' is used twice (first on line {first})"
            )
        order.append(outcome["id"])
        for number, slug in enumerate(outcome.get("guides", [])):
            if slug not in guides:
                at = ("outcomes", index, "guides", number)
                problem(
                    document.where(at),
                    at,
                    _unknown(f"there is no guide with the id '{slug}' in data/guides/", slug, guides),
                )
    missing = [name for name in REQUIRED if name not in order]
    if missing:
        problem(
            document.where(("outcomes",)),
            ("outcomes",),
            f"the outcomes {', '.join(missing)} are missing: statements of each strength bring strong "
            "or consider, and none is the result when nothing is ticked",
        )
    elif order[-1] != NONE:
        path = ("outcomes", order.index(NONE), "id")
        problem(
            document.where(path), path, "none must be the last outcome: it is the result only when nothing is ticked"
        )

    known = {trigger["id"]: trigger for trigger in triggers.data["triggers"]}
    for index, trigger in enumerate(triggers.data["triggers"]):
        if trigger.get("outcome") and trigger["outcome"] not in order:
            path = ("triggers", index, "outcome")
            problem(
                triggers.where(path),
                path,
                _unknown(
                    f"there is no outcome with the id '{trigger['outcome']}' in data/outcomes.yml",
                    trigger["outcome"],
                    order,
                ),
            )
    for index, example in enumerate(examples):
        for number, trigger_id in enumerate(example["given"]):
            if trigger_id not in known:
                path = ("examples", index, "given", number)
                problem(
                    document.where(path),
                    path,
                    _unknown(f"there is no trigger with the id '{trigger_id}' in data/triggers.yml", trigger_id, known),
                )
        if example["expect"] not in order:
            path = ("examples", index, "expect")
            message = f"there is no outcome with the id '{example['expect']}' above"
            problem(document.where(path), path, _unknown(message, example["expect"], order))
    if problems:
        return problems  # the examples can only run on sound references

    for index, example in enumerate(examples):
        brought = {t: brings(known[t]["strength"], known[t].get("outcome"), order) for t in example["given"]}
        got = result(brought.values(), order)
        if got != example["expect"]:
            path = ("examples", index, "expect")
            because = ", ".join(f"{t} brings {o}" for t, o in brought.items() if o == got) or "nothing is ticked"
            problem(
                document.where(path),
                path,
                f"the example '{example['name']}' expects {example['expect']}, but its answers now give {got} "
                f"({because}). If that is right, change what the example expects",
            )
    reached = {example["expect"] for example in examples}
    for index, outcome_id in enumerate(order):
        if outcome_id not in reached:
            path = ("outcomes", index, "id")
            problem(
                document.where(path),
                path,
                f"no example gives the outcome '{outcome_id}': add one to examples, so that a change "
                "which stops it being reached is caught",
            )
    return problems


def model(data: dict) -> tuple[dict[str, Outcome], tuple[Example, ...]]:
    outcomes = {
        o["id"]: Outcome(
            o["id"],
            o["when"].strip(),
            o["verdict"].strip(),
            o["explanation"].strip(),
            o["summary"].strip(),
            tuple(o.get("guides", ())),
        )
        for o in data["outcomes"]
    }
    examples = tuple(Example(e["name"].strip(), tuple(e["given"]), e["expect"]) for e in data["examples"])
    return outcomes, examples


def _unknown(message: str, value: str, known: Iterable[str]) -> str:
    """A message about an id that does not exist, with the id it most looks like (as load.py's)."""
    meant = suggestion(str(value), known)
    return f"{message}. Did you mean '{meant}'?" if meant else message
