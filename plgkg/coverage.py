"""Which interventions a school could start next: a greedy cover of its open characteristics.

A school's open characteristics are those that none of the interventions it runs serves. The next
step is the intervention, of those it does not run, that serves the most open characteristics; ties
go to the one whose links to them the chapter states most often (rather than the catalogue infers),
then to the catalogue's own order. What it serves is then closed, and the next step is chosen among
the rest, until no intervention closes anything more: what is still open then is served by no
intervention at all. This is the classic greedy set cover (within ln n of the smallest cover); it
ranks, it does not promise that doing the steps in order is best for a given school."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """One serves statement: intervention serves characteristic, stated in the chapter or not."""

    intervention: str
    characteristic: str
    stated: bool


@dataclass(frozen=True)
class Step:
    """A next step: the intervention, the open characteristics it closes (in the order given) and how
    many of those links the chapter states."""

    intervention: str
    closes: tuple[str, ...]
    stated: int


def open_characteristics(links: Iterable[Link], runs: Collection[str], among: Iterable[str]) -> list[str]:
    """The characteristics of among (in that order) that no intervention in runs serves."""
    served = {link.characteristic for link in links if link.intervention in runs}
    return [c for c in among if c not in served]


def next_steps(
    links: Iterable[Link],
    runs: Collection[str],
    open_: Iterable[str],
    order: Mapping[str, int] | None = None,
) -> list[Step]:
    """The greedy cover of open_ by the interventions not in runs, best step first. order ranks
    interventions that tie on both counts (lower first; then by id); open_'s order is kept in each
    step's closes."""
    wanted = list(dict.fromkeys(open_))
    rank = {c: i for i, c in enumerate(wanted)}
    serves: dict[str, dict[str, bool]] = {}
    for link in links:
        if link.intervention not in runs and link.characteristic in rank:
            known = serves.setdefault(link.intervention, {})
            known[link.characteristic] = known.get(link.characteristic, False) or link.stated
    position = order or {}
    left = set(wanted)
    steps: list[Step] = []

    def gain(intervention: str) -> tuple[int, int, int, str]:
        closes = [c for c in serves[intervention] if c in left]
        stated = sum(serves[intervention][c] for c in closes)
        return (-len(closes), -stated, position.get(intervention, len(position)), intervention)

    while left and serves:
        best = min(serves, key=gain)
        size, stated, _, _ = gain(best)
        if size == 0:
            break
        closes = tuple(sorted((c for c in serves.pop(best) if c in left), key=rank.__getitem__))
        steps.append(Step(best, closes, -stated))
        left -= set(closes)
    return steps
