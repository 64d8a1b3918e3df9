"""Chinese full-text search on Wagtail's database search backend (SQLite FTS5 or PostgreSQL tsvector).

Pages that take part mix in `SegmentedSearchMixin` and name their text in `search_text_parts()`; Wagtail
indexes the segmented text on publish (and `manage.py update_index` rebuilds it). Queries are cut the same
way (home/domain/chinese_text.py) and ranked by the backend (BM25 on SQLite, ts_rank on PostgreSQL).
"""

from dataclasses import dataclass

from django.db import connections
from wagtail.search import index
from wagtail.search.query import And, Or, PlainText

from home.domain.chinese_text import ParsedQuery, index_text, parse_query

SEARCH_LIMIT = 500  # results past this many are not worth paging through; refine the query instead


class SegmentedSearchMixin:
    """Adds the segmented title and text to a page's search fields. Subclasses list `search_text_parts()`."""

    segmented_search_fields = [
        index.SearchField("search_segmented_title", boost=3),
        index.SearchField("search_segmented_body"),
    ]

    def search_text_parts(self) -> list[str]:
        return []

    def search_segmented_title(self) -> str:
        return index_text(self.title)

    def search_segmented_body(self) -> str:
        return index_text(*self.search_text_parts())


def _alternative_query(terms: tuple[str, ...]):
    return PlainText(" ".join(terms), operator="and")


def backend_query(parsed: ParsedQuery, *, require_all: bool):
    """Every query word must match (in any of its alternatives), or — as a fallback — any one of them."""
    per_word = []
    for word in parsed.words:
        alternatives = [_alternative_query(alternative) for alternative in word.alternatives]
        per_word.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    if len(per_word) == 1:
        return per_word[0]
    return And(per_word) if require_all else Or(per_word)


@dataclass
class SearchOutcome:
    query: ParsedQuery
    results: list  # pages (specific), best first
    all_words: bool  # False when no page had every word and the results match only some


def _ranked_sqlite(queryset, query, limit: int) -> list:
    """The backend's own match and BM25 score, in one pass over the matching index entries, then the pages.

    Wagtail's SQLite backend ranks with a correlated subquery that runs the FTS match again for every matching
    page (quadratic: 3.5 s for 三供一业 and 6 s for two words at 5,000 answers), and for an AND of words its
    score ((1 + bm25)² − 1) turns the best matches (bm25 < −1) into the worst. Here: the same MATCH, the same
    score for one word (bm25 × (1 + title_norm), lower is better, newest first on a tie) for every query shape.
    Two queries, whatever the number of matches.
    """
    from django.db.models import BigIntegerField, F, TextField
    from django.db.models.functions import Cast
    from modelsearch.backends import get_search_backend
    from modelsearch.backends.database.sqlite.query import BM25, MatchExpression, normalize
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry
    from modelsearch.utils import get_descendants_content_types_pks

    backend = get_search_backend()
    compiler = backend.query_compiler_class(queryset, query)
    match = MatchExpression(
        compiler.FTS_TABLE_FIELDS, compiler.build_search_query(normalize(query), config=compiler.get_config(backend))
    )
    ids = list(
        SQLiteFTSIndexEntry.objects.using(queryset.db)
        .filter(match)
        .filter(
            index_entry__content_type__in=get_descendants_content_types_pks(queryset.model),
            index_entry__object_id__in=queryset.order_by().annotate(_oid=Cast("pk", TextField())).values("_oid"),
        )
        .annotate(score=BM25() * (1 + F("index_entry__title_norm")))
        .order_by("score", Cast("index_entry__object_id", BigIntegerField()).desc())
        .values_list("index_entry__object_id", flat=True)[:limit]
    )
    pks = [int(pk) for pk in ids]
    pages = queryset.order_by().in_bulk(pks)
    return [pages[pk] for pk in pks if pk in pages]


def _ranked_postgresql(queryset, query, limit: int) -> list:
    """The backend's tsquery and weights, over the index entries the GIN indexes find, then the pages.

    Wagtail's PostgreSQL backend matches `title || body`, which no index serves (every entry is read for every
    query), and ranks each alternative of each word apart (one ts_rank per alternative and vector and match).
    Here: `title @@ q OR body @@ q`, both indexed — the segmented body holds the segmented title too, so a page
    matches as before — and one ts_rank per vector for the whole query (the same score for one word).
    """
    from django.contrib.postgres.search import SearchRank
    from django.db.models import BigIntegerField, F, Q, TextField
    from django.db.models.functions import Cast
    from modelsearch.backends import get_search_backend
    from modelsearch.backends.database.postgres.postgres import IndexEntry
    from modelsearch.utils import get_descendants_content_types_pks

    backend = get_search_backend()
    compiler = backend.query_compiler_class(queryset, query)
    tsquery = compiler.build_tsquery(query, config=compiler.get_config(backend))
    weights = compiler.sql_weights
    ids = list(
        IndexEntry.objects.using(queryset.db)
        .filter(Q(title=tsquery) | Q(body=tsquery))
        .filter(
            content_type_id__in=get_descendants_content_types_pks(queryset.model),
            object_id__in=queryset.order_by().annotate(_oid=Cast("pk", TextField())).values("_oid"),
        )
        .annotate(
            score=SearchRank(F("title"), tsquery, weights=weights) * F("title_norm")
            + SearchRank(F("body"), tsquery, weights=weights)
        )
        .order_by(F("score").desc(), Cast("object_id", BigIntegerField()).desc())
        .values_list("object_id", flat=True)[:limit]
    )
    pks = [int(pk) for pk in ids]
    pages = queryset.order_by().in_bulk(pks)
    return [pages[pk] for pk in pks if pk in pages]


def _ranked(queryset, query, limit: int) -> list:
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        return _ranked_sqlite(queryset, query, limit)
    if vendor == "postgresql":
        return _ranked_postgresql(queryset, query, limit)
    return list(queryset.search(query, order_by_relevance=True)[:limit])


def search_pages(queryset, raw_query: str, *, limit: int = SEARCH_LIMIT) -> SearchOutcome:
    """Ranked pages of `queryset` for the query; an empty query gives no results, never an error."""
    parsed = parse_query(raw_query)
    if not parsed:
        return SearchOutcome(query=parsed, results=[], all_words=True)
    results = _ranked(queryset, backend_query(parsed, require_all=True), limit)
    all_words = True
    if not results and len(parsed.words) > 1:
        results = _ranked(queryset, backend_query(parsed, require_all=False), limit)
        all_words = False
    return SearchOutcome(query=parsed, results=results, all_words=all_words)
