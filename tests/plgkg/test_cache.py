"""The response cache: keyed by request, emptied by a new data version, bounded in bytes."""

from __future__ import annotations

from plgkg.cache import CachedAnswer, ResponseCache, cacheable, entity_tag, etag_matches


def _entry(body: bytes, media: str = "application/sparql-results+json") -> CachedAnswer:
    return CachedAnswer(media, body, entity_tag(media, body))


def test_an_answer_is_kept_for_its_request_and_version() -> None:
    cache = ResponseCache()
    assert cache.get("q1", (1, 1)) is None
    cache.put("q1", (1, 1), _entry(b"one"))
    assert cache.get("q1", (1, 1)).body == b"one"
    assert cache.get("q2", (1, 1)) is None
    assert cache.stats() == {"entries": 1, "bytes": 3, "hits": 1, "misses": 2}


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
    cache = ResponseCache(max_bytes=10, max_entry_bytes=10)
    cache.get("a", 0)
    cache.put("a", 0, _entry(b"aaaa"))
    cache.put("b", 0, _entry(b"bbbb"))
    assert cache.get("a", 0) is not None  # a is now the most recently used
    cache.put("c", 0, _entry(b"cccc"))
    assert cache.get("b", 0) is None
    assert [cache.get(k, 0).body for k in ("a", "c")] == [b"aaaa", b"cccc"]
    cache.put("big", 0, _entry(b"x" * 11))
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
    from plgkg.cache import ResultCache

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
