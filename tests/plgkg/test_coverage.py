"""The greedy cover behind a school's next steps (plgkg.coverage), on tiny hand-made link sets."""

from __future__ import annotations

from plgkg.coverage import Link, Step, next_steps, open_characteristics

LINKS = [
    Link("a", "c1", stated=True),
    Link("a", "c2", stated=False),
    Link("b", "c2", stated=True),
    Link("b", "c3", stated=True),
    Link("b", "c4", stated=False),
    Link("c", "c4", stated=True),
    Link("d", "c1", stated=True),
    Link("d", "c5", stated=False),
]
ALL = ["c1", "c2", "c3", "c4", "c5", "c6"]  # c6: served by nothing


def test_open_characteristics_keep_the_given_order() -> None:
    assert open_characteristics(LINKS, {"a"}, ALL) == ["c3", "c4", "c5", "c6"]
    assert open_characteristics(LINKS, set(), ["c6", "c1"]) == ["c6", "c1"]


def test_the_step_that_closes_most_comes_first_and_closed_ones_count_no_more() -> None:
    # b closes 3; then a and d each close 1 of c1, c5 left... a closes c1 only (c2 is closed by b),
    # d closes c1 and c5: d first. c6 stays open: nothing serves it.
    assert next_steps(LINKS, set(), ALL) == [
        Step("b", ("c2", "c3", "c4"), stated=2),
        Step("d", ("c1", "c5"), stated=1),
    ]


def test_what_the_school_runs_is_never_a_step_and_its_links_close_nothing() -> None:
    open_ = open_characteristics(LINKS, {"b"}, ALL)
    assert open_ == ["c1", "c5", "c6"]
    assert next_steps(LINKS, {"b"}, open_) == [Step("d", ("c1", "c5"), stated=1)]


def test_ties_go_to_more_stated_links_then_to_the_catalogues_order() -> None:
    links = [Link("x", "c1", False), Link("y", "c1", True), Link("z", "c2", True), Link("w", "c2", True)]
    assert next_steps(links, set(), ["c1", "c2"]) == [
        Step("w", ("c2",), stated=1),  # w and z tie on everything: the id decides
        Step("y", ("c1",), stated=1),  # y beats x: its link is stated
    ]
    assert next_steps(links, set(), ["c1", "c2"], order={"z": 0, "y": 1, "w": 2}) == [
        Step("z", ("c2",), stated=1),
        Step("y", ("c1",), stated=1),
    ]


def test_a_link_stated_once_counts_as_stated() -> None:
    links = [Link("x", "c1", False), Link("x", "c1", True)]
    assert next_steps(links, set(), ["c1"]) == [Step("x", ("c1",), stated=1)]


def test_nothing_open_or_nothing_serving_gives_no_steps() -> None:
    assert next_steps(LINKS, set(), []) == []
    assert next_steps(LINKS, set(), ["c6"]) == []
    assert next_steps(LINKS, {"a", "b", "c", "d"}, ALL) == []
