"""Chinese full-text search on Wagtail's database search backend (SQLite FTS5 or PostgreSQL tsvector).

Pages that take part mix in `SegmentedSearchMixin` and name their text in `search_text_parts()`; Wagtail
indexes the segmented text on publish (and `manage.py update_index` rebuilds it). Queries are cut the same
way (home/domain/chinese_text.py) and ranked by the backend (BM25 on SQLite, ts_rank on PostgreSQL).
"""

from dataclasses import dataclass

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


def search_pages(queryset, raw_query: str, *, limit: int = SEARCH_LIMIT) -> SearchOutcome:
    """Ranked pages of `queryset` for the query; an empty query gives no results, never an error."""
    parsed = parse_query(raw_query)
    if not parsed:
        return SearchOutcome(query=parsed, results=[], all_words=True)
    results = list(queryset.search(backend_query(parsed, require_all=True), order_by_relevance=True)[:limit])
    all_words = True
    if not results and len(parsed.words) > 1:
        results = list(queryset.search(backend_query(parsed, require_all=False), order_by_relevance=True)[:limit])
        all_words = False
    return SearchOutcome(query=parsed, results=results, all_words=all_words)
