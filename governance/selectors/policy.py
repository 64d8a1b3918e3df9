"""Reads for the public policy pages and the Chinese search over guidance and answers; each a fixed number of
queries whatever the size of the library.

Search ranking: the backend ranks by its score (BM25 on SQLite, ts_rank on PostgreSQL), but on Wagtail's database
backend a page's segmented title is indexed together with its text, so a long text that repeats a word can outrank a
page that has the word in its title. `rank_title_matches_first` puts the pages whose title has more of the query's
words first and keeps the backend's order otherwise (a stable sort).
"""

import datetime
from dataclasses import dataclass
from html import unescape

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from governance.models import AnswerFeedback, PolicyAnswerPage, PolicyIndexPage, PolicyPage, PolicyTopic
from home.domain.chinese_text import ParsedQuery, highlight, snippet
from home.search import search_pages

# Newest first; a document whose date is not yet checked against the original comes last.
NEWEST_FIRST = F("issued_on").desc(nulls_last=True)

DOCUMENTS_PER_PAGE = 20
LATEST_ANSWERS = 8
RELATED_ANSWERS = 5
CITING_ANSWERS = 20
SEARCH_PER_PAGE = 10
SNIPPET_WIDTH = 90

ALL = "all"
DEFAULT_STATUS = PolicyPage.Status.IN_FORCE
SEARCH_KINDS = {
    ALL: (PolicyPage, PolicyAnswerPage),
    "documents": (PolicyPage,),
    "answers": (PolicyAnswerPage,),
}


# --- the policy index -----------------------------------------------------------------------------------------


def _choice(value, allowed, default):
    return value if value in allowed else default


def _live_count(through, topic_column: str, page_column: str):
    """Live pages filed under the outer topic, as a subquery (no join fan-out between documents and answers)."""
    counted = (
        through.objects.filter(**{topic_column: OuterRef("pk"), f"{page_column}__live": True})
        .order_by()
        .values(topic_column)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def topics_with_counts() -> list[PolicyTopic]:
    """Every topic with its number of live documents and answers: one query."""
    return list(
        PolicyTopic.objects.annotate(
            document_count=_live_count(PolicyPage.topics.through, "policytopic", "policypage"),
            answer_count=_live_count(PolicyAnswerPage.topics.through, "policytopic", "policyanswerpage"),
        )
    )


def policy_index_context(page, params, user) -> dict:
    """Documents newest first, filtered by status (in force unless asked), level and topic, 20 a page; the topics
    with their counts; the latest published answers (of the chosen topic)."""
    status = _choice(params.get("status"), {*PolicyPage.Status.values, ALL}, DEFAULT_STATUS)
    level = _choice(params.get("level"), PolicyPage.Level.values, "")
    topics = topics_with_counts()
    selected_topic = next((t for t in topics if t.slug == params.get("topic")), None)

    documents = PolicyPage.objects.live().descendant_of(page)
    if status != ALL:
        documents = documents.filter(status=status)
    if selected_topic is not None:
        documents = documents.filter(topics=selected_topic)
    level_counts = dict(documents.order_by().values_list("level").annotate(total=Count("pk")))
    if level:
        documents = documents.filter(level=level)
    documents = documents.order_by(NEWEST_FIRST, "-pk").prefetch_related("topics")
    page_obj = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(params.get("page"))

    answers = PolicyAnswerPage.objects.live().descendant_of(page)
    if selected_topic is not None:
        answers = answers.filter(topics=selected_topic)
    latest_answers = list(answers.order_by("-first_published_at", "-pk")[:LATEST_ANSWERS])

    return {
        "documents": page_obj.object_list,
        "page_obj": page_obj,
        "document_count": page_obj.paginator.count,
        "filters": {"status": status, "level": level, "topic": selected_topic.slug if selected_topic else ""},
        "filtered": status != DEFAULT_STATUS or bool(level) or selected_topic is not None,
        "status_choices": [*PolicyPage.Status.choices, (ALL, _("all, including repealed"))],
        "level_choices": [(value, label, level_counts.get(value, 0)) for value, label in PolicyPage.Level.choices],
        "topics": topics,
        "selected_topic": selected_topic,
        "latest_answers": latest_answers,
        "search_url": reverse("governance:policy_search"),
    }


# --- one guidance document ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str
    file_type: str
    size: int | None


def _attachments(page) -> list[Attachment]:
    return [
        Attachment(
            title=item.document.title,
            url=item.document.url,
            file_type=item.document.file_extension.upper(),
            size=item.document.file_size,
        )
        for item in page.attachments.select_related("document")
    ]


def policy_page_context(page) -> dict:
    """What replaced the document (if live), what it replaced, its topics, attachments and the answers citing it."""
    replaced_by = None
    if page.replaced_by_id:
        replaced_by = PolicyPage.objects.live().filter(pk=page.replaced_by_id).first()
    replaces, citing = [], []
    if page.pk is not None:  # a new page in the editor's preview has neither
        replaces = list(PolicyPage.objects.live().filter(replaced_by=page.pk).order_by(NEWEST_FIRST, "-pk"))
        citing = list(
            PolicyAnswerPage.objects.live()
            .filter(cited_documents=page.pk)
            .order_by("-first_published_at", "-pk")[:CITING_ANSWERS]
        )
    return {
        "topics": list(page.topics.all()),
        "attachment_list": _attachments(page),
        "replaced_by": replaced_by,
        "replaces": replaces,
        "citing_answers": citing,
        "is_superseded": page.status != PolicyPage.Status.IN_FORCE,
    }


# --- one answer -----------------------------------------------------------------------------------------------


def related_answers(page, topic_ids) -> list[PolicyAnswerPage]:
    """Other live answers sharing a topic, newest first, at most five: one query."""
    if not topic_ids:
        return []
    sharing = PolicyAnswerPage.topics.through.objects.filter(policytopic_id__in=topic_ids).values("policyanswerpage_id")
    related = PolicyAnswerPage.objects.live().filter(pk__in=sharing)
    if page.pk is not None:
        related = related.exclude(pk=page.pk)
    return list(related.order_by("-first_published_at", "-pk")[:RELATED_ANSWERS])


def answer_page_context(page, user) -> dict:
    """Topics, the cited documents with their status, related answers, the readers' ratings and the reader's own."""
    topics = list(page.topics.all())
    # The page's own relation, so that the editor's preview shows the documents ticked in the form.
    cited = sorted(
        (document for document in page.cited_documents.all() if document.live),
        key=lambda document: (document.issued_on or datetime.date.min, document.pk or 0),
        reverse=True,
    )
    context = {
        "topics": topics,
        "cited_documents": cited,
        "related_answers": related_answers(page, [t.pk for t in topics]),
        "helpful_count": 0,
        "unhelpful_count": 0,
        "my_feedback": None,
        "feedback_url": None,
    }
    if page.pk is None:  # a new page in the editor's preview: nobody has rated it
        return context
    counts = AnswerFeedback.objects.filter(page_id=page.pk).aggregate(
        helpful_count=Count("pk", filter=Q(helpful=True)), unhelpful_count=Count("pk", filter=Q(helpful=False))
    )
    context.update(counts)
    if user is not None and user.is_authenticated:
        context["my_feedback"] = AnswerFeedback.objects.filter(page_id=page.pk, user=user).first()
    context["feedback_url"] = reverse("governance:policy_feedback", args=[page.pk])
    return context


# --- search ---------------------------------------------------------------------------------------------------


def _title_hits(title: str, query: ParsedQuery) -> int:
    title = (title or "").lower()

    def in_title(word) -> bool:
        return any(all(term in title for term in alternative) for alternative in word.alternatives)

    return sum(1 for word in query.words if in_title(word))


def rank_title_matches_first(pages: list, query: ParsedQuery) -> list:
    """Pages with more query words in their title first; otherwise the backend's relevance order (stable)."""
    return sorted(pages, key=lambda page: -_title_hits(page.title, query))


def _plain(html: str) -> str:
    return unescape(strip_tags(html or ""))


def snippet_source(page) -> str:
    """The text a result's snippet is cut from: what the reader sees on the page, not the index's extras."""
    if isinstance(page, PolicyPage):
        return " ".join([page.summary, _plain(page.body)])
    if isinstance(page, PolicyAnswerPage):
        return " ".join([page.question, page.answer])
    parts = page.search_text_parts() if hasattr(page, "search_text_parts") else []
    return " ".join(_plain(part) for part in parts if part)


def kind_label(page) -> str:
    labels = {
        "policypage": pgettext_lazy("search result", "Guidance document"),
        "policyanswerpage": pgettext_lazy("search result", "Answer"),
        "communitypage": pgettext_lazy("search result", "Community"),
        "noticepage": pgettext_lazy("search result", "Public notice"),
    }
    return labels.get(page._meta.model_name, page._meta.verbose_name)


@dataclass(frozen=True)
class SearchResult:
    page: Page
    url: str
    kind: str
    kind_label: str
    title_html: str
    snippet_html: str


def _specific_in_order(pages: list) -> list:
    """The specific pages of one result page, in the same order: a query per page type, not per result."""
    ids = [page.pk for page in pages]
    by_id = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    return [by_id[pk] for pk in ids if pk in by_id]


def search_results(pages: list, query: ParsedQuery) -> list[SearchResult]:
    """Result rows for pages of any searchable type, with the matched words highlighted (escaped HTML)."""
    terms = query.terms
    return [
        SearchResult(
            page=page,
            url=page.url,
            kind=page._meta.model_name,
            kind_label=kind_label(page),
            title_html=mark_safe(highlight(page.title, terms)),  # noqa: S308 — highlight() escapes the text
            snippet_html=mark_safe(snippet(snippet_source(page), terms, SNIPPET_WIDTH)),  # noqa: S308 — escaped
        )
        for page in _specific_in_order(pages)
    ]


def paginated_search(queryset, raw_query: str, page_number, *, per_page: int = SEARCH_PER_PAGE) -> dict:
    """Search, rank (title matches first), paginate the plain pages and build rows only for the shown page."""
    outcome = search_pages(queryset, raw_query)
    ranked = rank_title_matches_first(outcome.results, outcome.query)
    page_obj = Paginator(ranked, per_page).get_page(page_number)
    return {
        "query": (raw_query or "").strip(),
        "parsed": outcome.query,
        "has_words": bool(outcome.query),
        "truncated": outcome.query.truncated,
        "all_words": outcome.all_words,
        "result_count": len(ranked),
        "page_obj": page_obj,
        "results": search_results(list(page_obj.object_list), outcome.query),
    }


def policy_search_context(params) -> dict:
    """Guidance and answers (or only one of them) for the query, by relevance, 10 a page."""
    kind = _choice(params.get("kind"), SEARCH_KINDS.keys(), ALL)
    queryset = Page.objects.live().public().type(*SEARCH_KINDS[kind])
    context = paginated_search(queryset, params.get("q", ""), params.get("page"))
    context.update(
        {
            "kind": kind,
            "kind_choices": [
                (ALL, pgettext_lazy("policy search", "Documents and answers")),
                ("documents", _("Guidance documents")),
                ("answers", pgettext_lazy("policy search", "Answers")),
            ],
            "policy_index": PolicyIndexPage.objects.live().first(),
        }
    )
    if not context["results"]:
        context["suggested_topics"] = [t for t in topics_with_counts() if t.document_count or t.answer_count]
    return context
