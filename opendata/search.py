"""Thai-aware search terms and the CKAN `fq` mini-language.

Thai is written without spaces between words, so titles, descriptions and queries are split into words with
PyThaiNLP's dictionary-based `newmm` tokeniser (its dictionary ships inside the package, nothing is downloaded);
each word of a dataset is stored as one indexed row (DatasetTerm, carrying the dataset's facet values as
numbers) and a query matches the datasets that have every word of the query. The same code runs on SQLite and
PostgreSQL.
"""

import re
from functools import lru_cache

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

WORD_RE = re.compile(r"[\w\u0E00-\u0E7F]")
MAX_TERM = 100


@lru_cache(maxsize=1)
def _stopwords() -> frozenset:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=False))


def terms(text: str, *, keep_stopwords=False) -> list[str]:
    """Distinct lower-cased words of `text`, Thai split by dictionary, punctuation dropped."""
    from portal.thai import to_arabic_digits

    text = to_arabic_digits((text or "").lower())
    seen, result = set(), []
    stop = set() if keep_stopwords else _stopwords()
    for chunk in text.split():
        for token in _tokens(chunk) if re.search(r"[\u0E00-\u0E7F]", chunk) else (chunk,):
            token = token.strip(".,;:!?()[]{}\"'“”‘’/\\|-_").strip()
            if not token or not WORD_RE.search(token) or token in stop or token in seen:
                continue
            seen.add(token)
            result.append(token[:MAX_TERM])
    return result


# A search word every dataset has (no query word can be it: words need a letter or digit), so a search with no
# words (the catalogue's front page, a harvester listing everything) reads the same index as one with words.
EVERY = "*"


def dataset_words(*, title, notes, name, tag_names, organization_names) -> list[str]:
    """The search words of a dataset: its title, description, URL name, tags and organization's names."""
    return terms(" ".join([title, notes, name.replace("-", " "), " ".join(tag_names), *organization_names]))


def title_words(title: str) -> set[str]:
    """Words of the title (stop words kept): a dataset whose title has the query's first word ranks first."""
    return set(terms(title, keep_stopwords=True))


def facet_pairs(*, organization_id, tag_names, group_names, formats, license_id, data_type) -> set[tuple[str, str]]:
    """(facet field, value) pairs of a dataset, as package_search counts them. The organization is its id (the
    slug is looked up when shown), so renaming an organization never leaves stale counts; every dataset has exactly
    one organization pair, which is what lets a search count its matches from the same aggregate."""
    pairs = {("organization", str(organization_id)), ("license_id", license_id), ("data_type", data_type)}
    pairs |= {("tags", t) for t in tag_names}
    pairs |= {("groups", g) for g in group_names}
    pairs |= {("res_format", f) for f in formats if f}
    return {(field, value[:300]) for field, value in pairs}


def facet_id_map(SearchFacet, pairs) -> dict[tuple[str, str], int]:
    """{(field, value): id} for the pairs, numbering the new ones (SearchFacet passed in: migrations use theirs)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    from django.db.models import Q

    def lookup():
        condition = Q()
        for field, value in pairs:
            condition |= Q(field=field, value=value)
        return {(f, v): i for i, f, v in SearchFacet.objects.filter(condition).values_list("id", "field", "value")}

    known = lookup()
    missing = pairs - set(known)
    if missing:
        SearchFacet.objects.bulk_create([SearchFacet(field=f, value=v) for f, v in sorted(missing)],
                                        ignore_conflicts=True)
        known = lookup()
    return known


class SearchQueryError(ValueError):
    """A malformed `q`, `fq` or `sort`: CKAN answers 400 with __type "Search Query Error"."""


# fq / facet field -> ORM lookup on Dataset
FIELDS = {
    "organization": "organization__slug",
    "owner_org": "organization__slug",
    "groups": "groups__name",
    "tags": "tags__name",
    "res_format": "resources__format__iexact",
    "license_id": "license_id",
    "data_type": "data_type",
    "data_category": "data_category",
    "name": "name",
    "id": "id",
    "update_frequency_unit": "update_frequency_unit",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
}
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "data_type")

CLAUSE_RE = re.compile(
    r"""\s*(?:(?P<op>AND|OR|\&\&|\|\|)\s+)?(?P<neg>[-+!]?)(?P<field>[A-Za-z_]+):"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|\[[^\]]*\]|\{[^}]*\}|[^\s"\[\]{}]+)\s*"""
)
RANGE_RE = re.compile(r"^[\[{]\s*(\S+)\s+TO\s+(\S+)\s*[\]}]$")


def _bound(value: str, field: str):
    if value == "*":
        return None
    if value.upper().startswith("NOW"):
        from django.utils import timezone

        return timezone.now()
    parsed = parse_datetime(value.replace("Z", "+00:00")) or parse_date(value)
    if parsed is None:
        raise SearchQueryError(_("ค่าช่วง %(value)s ของ %(field)s ไม่ใช่วันเวลาแบบ ISO 8601") % {"value": value, "field": field})
    return parsed


def _clause(field: str, value: str) -> Q:
    if field not in FIELDS:
        raise SearchQueryError(_("ค้นตามฟิลด์ %(field)s ไม่ได้ ใช้ได้: %(fields)s")
                               % {"field": field, "fields": ", ".join(sorted(FIELDS))})
    lookup = FIELDS[field]
    range_match = RANGE_RE.match(value)
    if range_match:
        if field not in ("metadata_modified", "metadata_created"):
            raise SearchQueryError(_("ค้นเป็นช่วงได้เฉพาะ metadata_modified และ metadata_created"))
        low, high = (_bound(v, field) for v in range_match.groups())
        q = Q()
        if low is not None:
            q &= Q(**{f"{lookup}__gte": low})
        if high is not None:
            q &= Q(**{f"{lookup}__lte": high})
        return q
    if value.startswith('"'):
        value = value[1:-1].replace('\\"', '"')
    if value == "*":
        return Q()
    if field == "id":
        import uuid

        try:
            uuid.UUID(value)
        except ValueError:
            return Q(pk__in=[])
    return Q(**{lookup: value})


def parse_fq(fq: str) -> Q:
    """`field:value` clauses, ANDed unless joined by OR; `-field:value` excludes; ranges for dates."""
    fq = (fq or "").strip()
    if not fq:
        return Q()
    result, pos = None, 0
    while pos < len(fq):
        match = CLAUSE_RE.match(fq, pos)
        if not match or match.end() == pos:
            raise SearchQueryError(_("รูปแบบ fq ไม่ถูกต้องที่ตำแหน่ง %(pos)s: ใช้ ฟิลด์:ค่า เช่น tags:งบประมาณ")
                                   % {"pos": pos})
        clause = _clause(match["field"], match["value"])
        if match["neg"] in ("-", "!"):
            clause = ~clause
        if result is None:
            result = clause
        elif match["op"] in ("OR", "||"):
            result = result | clause
        else:
            result = result & clause
        pos = match.end()
    return result


SORTS = {
    "score": None,
    "relevance": None,
    "name": "name",
    "title_string": "title",
    "title": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "views_recent": "download_count",
}


def parse_sort(sort: str) -> list[str]:
    """CKAN sort, e.g. 'score desc, metadata_modified desc' -> ORM order_by; 'score' means relevance (None)."""
    order = []
    for part in (sort or "").split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or words[0] not in SORTS or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise SearchQueryError(_("เรียงตาม %(sort)s ไม่ได้ ใช้ได้: %(fields)s (asc หรือ desc)")
                                   % {"sort": part.strip(), "fields": ", ".join(SORTS)})
        column = SORTS[words[0]]
        descending = len(words) == 2 and words[1].lower() == "desc"
        order.append(None if column is None else ("-" if descending else "") + column)
    return order
