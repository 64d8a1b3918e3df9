"""Chinese word segmentation for search: written Chinese has no spaces, so a word-based full-text index
(SQLite FTS5, PostgreSQL tsvector) sees "物业管理服务" as one token and misses a search for "物业".

The index stores text cut into words *and* the dictionary words inside longer words, separated by spaces;
a query is cut the same way. Both backends then match whole space-separated tokens, identically.
Pure: jieba only, no Django.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape

import jieba

# Terms of this field that jieba's general dictionary cuts apart ("三供一业" → 三 / 供 / 一业).
DOMAIN_WORDS = (
    "三供一业",
    "老旧小区",
    "维修资金",
    "维修基金",
    "业委会",
    "业主委员会",  # a SYNONYMS key: cut apart (业主 / 委员会) its synonyms never applied
    "业主大会",
    "议事会",
    "加装电梯",
    "电梯加装",  # a SYNONYMS key, as 业主委员会
    "物业服务",
    "物业费",
    "物业服务费",
    "物业用房",
    "红色物业",
    "连片打包",
    "保障性管理",
    "公共收益",
    "管理规约",
    "议事规则",
    "住建局",
    "街道办事处",
    "分离移交",
    "承接查验",
    "国办发",
    "民法典",
    "公积金",
)

# A query word also finds the documents that say it another way. Each alternative is cut like the index.
SYNONYMS = {
    "业委会": ("业主委员会",),
    "业主委员会": ("业委会",),
    "维修资金": ("维修基金",),
    "维修基金": ("维修资金",),
    "加装电梯": ("电梯加装", "增设电梯"),
    "电梯加装": ("加装电梯",),
    "住建局": ("住房和城乡建设局",),
    "物业费": ("物业服务费",),
    "物业服务费": ("物业费",),
}

# Words that say nothing about the subject of a question: dropped from queries, kept in the index.
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 是 在 吗 呢 吧 啊 呀 么 我 我们 你 你们 他 她 它 这 那 这个 那个 有 没有 怎么 怎么办 怎样 如何 "
    "什么 哪些 哪里 为什么 为何 是否 能否 可以 能 会 要 需要 应该 请问 一下 一个 请 谢谢 问 关于 对 把 被 给 让 "
    "就 都 也 还".split()
)

TERM_PATTERN = re.compile(r"[0-9a-zA-Z]+|[\u3400-\u9fff]+")

QUERY_MAX_CHARS = 100  # longer queries are cut: a search box, not a document comparison
MAX_QUERY_WORDS = 12


@cache
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    jieba.setLogLevel(60)
    tokenizer.initialize()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word, freq=200000)
    return tokenizer


def _in_dictionary(word: str) -> bool:
    return _tokenizer().FREQ.get(word, 0) > 0


def _words(text: str) -> list[str]:
    """Runs of Chinese characters cut into words; Latin letters and digits as they stand, lowercased."""
    words = []
    for run in TERM_PATTERN.findall(text or ""):
        if run.isascii():
            words.append(run.lower())
        else:
            words.extend(w for w in _tokenizer().cut(run, HMM=False) if w.strip())
    return words


def index_terms(text: str) -> list[str]:
    """Every word, then every dictionary word of two or more characters inside it: "专项维修资金" gives
    专项维修资金?, 专项, 维修资金, 维修, 资金 — so a search for any of them finds the text."""
    terms = []
    for word in _words(text):
        terms.append(word)
        if len(word) > 2 and not word.isascii():
            for size in range(len(word) - 1, 1, -1):
                for start in range(len(word) - size + 1):
                    inner = word[start : start + size]
                    if _in_dictionary(inner):
                        terms.append(inner)
    return terms


def index_text(*parts: str) -> str:
    """The text an index stores for search: its terms separated by spaces."""
    return _index_text(parts)


@lru_cache(maxsize=64)
def _index_text(parts: tuple[str, ...]) -> str:
    # Wagtail's indexer reads every search field once per index column (3 on SQLite, 5 on PostgreSQL): the
    # same text is segmented again each time unless remembered.
    return " ".join(term for part in parts for term in index_terms(part))


@dataclass(frozen=True)
class QueryWord:
    """One word the user typed and the ways a document may say it; each way is a list of terms, all needed."""

    word: str
    alternatives: tuple[tuple[str, ...], ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(term for alternative in self.alternatives for term in alternative))


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[QueryWord, ...]
    truncated: bool

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term any alternative uses: what the results highlight."""
        return tuple(dict.fromkeys(term for word in self.words for term in word.terms))

    def __bool__(self) -> bool:
        return bool(self.words)


def _alternative(text: str) -> tuple[str, ...]:
    return tuple(w for w in _words(text) if w not in STOP_WORDS)


def parse_query(raw: str) -> ParsedQuery:
    """Cut a search box's text into words; an empty or punctuation-only query has no words (not an error).

    Anything past QUERY_MAX_CHARS is ignored and reported, so a pasted 5,000-character text still searches.
    """
    text = (raw or "").strip()
    truncated = len(text) > QUERY_MAX_CHARS
    text = text[:QUERY_MAX_CHARS]
    words = []
    seen = set()
    for word in _words(text):
        if word in STOP_WORDS or word in seen:
            continue
        if len(word) == 1 and not word.isascii() and not word.isdigit():
            # A lone character (老, 旧 when the dictionary cuts oddly) matches nearly everything.
            continue
        seen.add(word)
        alternatives = [(word,)]
        for synonym in SYNONYMS.get(word, ()):
            alternative = _alternative(synonym)
            if alternative and alternative not in alternatives:
                alternatives.append(alternative)
        words.append(QueryWord(word=word, alternatives=tuple(alternatives)))
        if len(words) == MAX_QUERY_WORDS:
            break
    return ParsedQuery(words=tuple(words), truncated=truncated)


def highlight(text: str, terms) -> str:
    """HTML-escaped text with every occurrence of a term wrapped in <mark>; longer terms win."""
    text = text or ""
    ordered = sorted({t for t in terms if t}, key=len, reverse=True)
    if not ordered:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)
    out = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def snippet(text: str, terms, width: int = 90) -> str:
    """About `width` characters of the text around its first matching term (or its start), highlighted."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    positions = [p for p in (lowered.find(t.lower()) for t in terms if t) if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    end = min(len(text), start + width)
    piece = text[start:end]
    return ("…" if start > 0 else "") + highlight(piece, terms) + ("…" if end < len(text) else "")
