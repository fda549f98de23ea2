"""The response cache: keyed by request, emptied by a new data version, bounded in bytes."""

from __future__ import annotations

from plgkg.execution.cache import CachedAnswer, ResponseCache, cacheable, entity_tag, etag_matches


def _entry(body: bytes, media: str = "application/sparql-results+json") -> CachedAnswer:
    return CachedAnswer(media, body, entity_tag(media, body))


def test_an_answer_is_kept_for_its_request_and_version() -> None:
    cache = ResponseCache()
    assert cache.get("q1", (1, 1)) is None
    cache.put("q1", (1, 1), _entry(b"one"))
    assert cache.get("q1", (1, 1)).body == b"one"
    assert cache.get("q2", (1, 1)) is None
    # the body, the key and a fixed overhead per entry
    assert cache.stats() == {"entries": 1, "bytes": 3 + 2 + 512, "hits": 1, "misses": 2}


def test_a_new_data_version_empties_the_cache() -> None:
    cache = ResponseCache()
    cache.get("q1", (1, 1))
    cache.put("q1", (1, 1), _entry(b"one"))
    assert cache.get("q1", (1, 2)) is None
    assert len(cache) == 0
    assert cache.get("q1", (1, 1)) is None  # going back does not bring the old answer back


def test_an_answer_computed_on_an_older_version_is_not_kept() -> None:
    cache = ResponseCache()
    cache.get("q1", (1, 1))  # the request starts on version 1 ...
    cache.get("other", (1, 2))  # ... an import lands and another request sees version 2 ...
    cache.put("q1", (1, 1), _entry(b"stale"))  # ... then the first answer arrives
    assert cache.get("q1", (1, 2)) is None


def test_the_cache_drops_the_least_recently_used_answers_past_its_size() -> None:
    cache = ResponseCache(max_bytes=2 * (4 + 1 + 512), max_entry_bytes=1040)
    cache.get("a", 0)
    cache.put("a", 0, _entry(b"aaaa"))
    cache.put("b", 0, _entry(b"bbbb"))
    assert cache.get("a", 0) is not None  # a is now the most recently used
    cache.put("c", 0, _entry(b"cccc"))
    assert cache.get("b", 0) is None
    assert [cache.get(k, 0).body for k in ("a", "c")] == [b"aaaa", b"cccc"]
    cache.put("big", 0, _entry(b"x" * 600))
    assert cache.get("big", 0) is None


def test_a_cache_of_size_zero_keeps_nothing() -> None:
    cache = ResponseCache(max_bytes=0)
    cache.get("a", 0)
    cache.put("a", 0, _entry(b"a"))
    assert cache.get("a", 0) is None


def test_queries_that_can_answer_differently_on_the_same_data_are_not_cached() -> None:
    assert cacheable("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    for volatile in ("NOW()", "rand ()", "UUID()", "STRUUID()", "BNODE()"):
        assert not cacheable(f"SELECT ({volatile} AS ?x) WHERE {{}}")


def test_entity_tags_differ_by_body_and_media_type_and_match_weakly() -> None:
    tag = entity_tag("text/csv", b"a")
    assert tag.startswith('"') and tag.endswith('"')
    assert tag == entity_tag("text/csv", b"a")
    assert tag != entity_tag("text/csv", b"b")
    assert tag != entity_tag("text/tab-separated-values", b"a")
    assert etag_matches(tag, tag)
    assert etag_matches(f'"other", W/{tag}', tag)
    assert etag_matches("*", tag)
    assert not etag_matches('"other"', tag)
    assert not etag_matches(None, tag)


def test_the_result_cache_keeps_small_results_of_the_current_version() -> None:
    from plgkg.execution.cache import ResultCache

    cache = ResultCache(max_entries=2, max_rows=10)
    assert cache.get("a", 1) is None
    cache.put("a", 1, "A", rows=3)
    cache.put("big", 1, "B", rows=11)
    assert cache.get("a", 1) == "A"
    assert cache.get("big", 1) is None
    cache.put("b", 1, "B", rows=1)
    assert cache.get("a", 1) == "A"  # a is now the most recently used ...
    cache.put("c", 1, "C", rows=1)  # ... so b goes
    assert [cache.get(k, 1) for k in ("a", "b", "c")] == ["A", None, "C"]
    assert cache.get("a", 2) is None and len(cache) == 0
    cache.put("a", 1, "A", rows=1)  # computed on the old version: not kept
    assert cache.get("a", 2) is None


def test_keys_count_in_the_budget_and_entries_are_capped() -> None:
    """Many small answers to long queries (issue 11: 3,300 of them grew memory by 90 MB while the
    cache reported 95 KB): the weight counts the keys, and the number of entries is capped."""
    cache = ResponseCache(max_bytes=1_000_000, max_entry_bytes=100_000, max_entries=1000)
    answer = CachedAnswer("text/csv", b"x", entity_tag("text/csv", b"x"))
    cache.get(("probe",), 1)
    for i in range(100):
        cache.put((f"{i:05d}" + "q" * 16_000, (), (), "text/csv", None), 1, answer)
    stats = cache.stats()
    per_entry = 16_005 + len("text/csv") + 8 + len(b"x") + 512  # key strings, None, body, overhead
    assert stats["entries"] == 1_000_000 // per_entry == 60
    assert stats["bytes"] == 60 * per_entry
    small = ResponseCache(max_bytes=10_000_000, max_entries=50)
    small.get(("probe",), 1)
    for i in range(200):
        small.put((str(i),), 1, answer)
    assert small.stats()["entries"] == 50
