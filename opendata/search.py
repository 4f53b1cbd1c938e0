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


# ---- q and fq as CKAN's Solr reads them ---------------------------------------------------------------------------
# Parsed with luqum (a Lucene query parser) and turned into one Q on Dataset. Clauses on many-valued fields (tags,
# categories, resource formats) are sub-selects, so `tags:a tags:b`, OR and NOT mean what they say. A space between
# clauses is AND, as CKAN's Solr configuration has it; `a OR b c` is `(a OR b) AND c`, the way ckanext-harvest joins its
# organization filter with its `metadata_modified` range.

# fq / facet field -> column of Dataset compared for equality
FIELDS = {
    "organization": "organization__slug",
    "name": "name",
    "license_id": "license_id",
    "license": "license_id",
    "data_type": "data_type",
    "data_category": "data_category",
    "data_classification": "data_classification",
    "data_support": "data_support",
    "data_collect": "data_collect",
    "update_frequency_unit": "update_frequency_unit",
    "geo_coverage": "geo_coverage",
    "data_source": "data_source",
    "maintainer": "maintainer",
    "maintainer_email": "maintainer_email",
    "author": "organization__name_th",
}
MANY = {  # field -> (through model path, column): a dataset matches when one of its rows does
    "tags": ("tags", "name"),
    "groups": ("groups", "name"),
    "res_format": ("resources", "format"),
    "res_name": ("resources", "name"),
}
LISTS = {"objective", "data_format", "data_language"}  # thai-gdc fields holding a JSON list of values
DATES = {"metadata_modified", "metadata_created"}
COUNTS = {"num_resources": "resources", "num_tags": "tags"}
WORDS = {"text", "title", "notes", "q"}
# CKAN index fields whose value is the same for every dataset this API shows (published, public datasets):
# the listed values match everything, any other value nothing.
CONSTANT = {"dataset_type": {"dataset"}, "type": {"dataset"}, "state": {"active"}, "capacity": {"public"},
            "private": {"false"}, "entity_type": {"package"}, "site_id": None, "*": None}
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "data_type")
KNOWN_FIELDS = sorted({*FIELDS, *MANY, *LISTS, *DATES, *COUNTS, *WORDS, "id", "owner_org", "allow_harvest",
                       *(k for k in CONSTANT if k != "*")})

DATE_RE = re.compile(r"^(NOW|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?Z?)"
                     r"((?:[/+-]\d*[A-Za-z]+)*)$")
MATH_RE = re.compile(r"([/+-])(\d*)([A-Za-z]+)")
UNITS = {"YEAR": "years", "MONTH": "months", "DAY": "days", "DATE": "days", "HOUR": "hours", "MINUTE": "minutes",
         "SECOND": "seconds", "MILLI": "microseconds", "MILLISECOND": "microseconds"}


def _unit(name: str) -> str | None:
    name = name.upper()
    return UNITS.get(name) or (UNITS.get(name[:-1]) if name.endswith("S") else None)


def solr_date(value: str, field: str = "metadata_modified", *, now=None):
    """A Solr date with its date maths: `2024-01-31T00:00:00Z`, `NOW`, `NOW-1DAY`, `NOW/DAY`, `NOW/DAY+1DAY`,
    `2024-01-01T00:00:00Z+6MONTHS` (UTC, as Solr computes). SearchQueryError for anything else, Feb 30 included."""
    import datetime as dt

    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    def bad():
        return SearchQueryError(_("ค่า %(value)s ของ %(field)s ไม่ใช่วันเวลาแบบ ISO 8601 หรือ NOW")
                                % {"value": value[:60], "field": field})

    match = DATE_RE.match(value.strip())
    if not match:
        raise bad()
    base, maths = match.groups()
    if base.upper() == "NOW":
        moment = now or timezone.now()
    else:
        text = base[:-1] if base.endswith("Z") and len(base) > 20 and base[-7] in "+-" else base
        text = text.replace("Z", "+00:00")
        try:
            moment = parse_datetime(text) if "T" in text else None
            if moment is None:
                day = parse_date(text[:10])
                moment = dt.datetime.combine(day, dt.time()) if day else None
        except ValueError:  # well formed but no such day (Feb 30) or hour
            raise bad() from None
        if moment is None:
            raise bad()
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=dt.UTC)
    moment = moment.astimezone(dt.UTC)
    for op, number, unit in MATH_RE.findall(maths):
        name = _unit(unit)
        if name is None:
            raise bad()
        if op == "/":
            if number:
                raise bad()
            order = ["years", "months", "days", "hours", "minutes", "seconds", "microseconds"]
            keep = order.index(name)
            defaults = {"months": 1, "days": 1, "hours": 0, "minutes": 0, "seconds": 0, "microseconds": 0}
            moment = moment.replace(**{k[:-1]: v for k, v in defaults.items() if order.index(k) > keep})
            continue
        amount = int(number or "1")
        if amount > 100_000:
            raise bad()
        if name == "microseconds":
            amount *= 1000
        delta = relativedelta(**{name: amount})
        try:
            moment = moment + delta if op == "+" else moment - delta
        except (OverflowError, ValueError):
            raise bad() from None
    return moment


def _unquote(node) -> tuple[str, bool]:
    """(text, is_phrase) of a luqum Word or Phrase, escapes removed."""
    from luqum.tree import Phrase

    if isinstance(node, Phrase):
        return re.sub(r"\\(.)", r"\1", node.value[1:-1]), True
    return re.sub(r"\\(.)", r"\1", node.value), False


def harvestable_q():
    """Datasets the national catalogue may gather: the dataset allows it and its organization has not said no
    (HarvestConsent)."""
    from .models import HarvestConsent

    refused = HarvestConsent.objects.filter(allow_harvest=False).values("organization_id")
    return Q(allow_harvest=True) & ~Q(organization_id__in=refused)


def _none():
    return Q(pk__in=[])


def _organization_ids(value: str) -> list[int]:
    """Organizations whose slug or published UUID (see ckan.organization_uuid) is `value`."""
    import uuid

    from portal.models import Organization

    try:
        wanted = str(uuid.UUID(value))
    except ValueError:
        return list(Organization.objects.filter(slug=value).values_list("pk", flat=True))
    return [pk for pk, slug in Organization.objects.values_list("pk", "slug")
            if str(uuid.uuid5(uuid.NAMESPACE_URL, f"organization:{slug}")) == wanted]


def _words_q(text: str) -> Q:
    """Datasets having every search word of `text` (Thai split by PyThaiNLP)."""
    from django.db.models import Exists, OuterRef

    from .models import DatasetTerm

    words = terms(text) or terms(text, keep_stopwords=True)
    if not words:
        return Q()
    q = Q()
    for word in words:
        q &= Q(Exists(DatasetTerm.objects.filter(dataset=OuterRef("pk"), term=word)))
    return q


def _value_q(field: str, node) -> Q:
    """One `field:value` (value a word, a phrase or a range)."""
    from luqum.tree import Phrase, Range, Word

    from .models import Dataset

    if isinstance(node, Range):
        return _range_q(field, node)
    if not isinstance(node, Word | Phrase):
        raise SearchQueryError(_("ค่าของ %(field)s ไม่ถูกต้อง") % {"field": field})
    value, phrase = _unquote(node)
    if field in CONSTANT:
        allowed = CONSTANT[field]
        return Q() if allowed is None or value == "*" or value.lower() in allowed else _none()
    if field in WORDS:
        return Q() if value == "*" else _words_q(value)
    if value == "*":  # the field has a value: every dataset has one of these
        return Q()
    prefix = not phrase and value.endswith("*") and "*" not in value[:-1]
    if not phrase and ("*" in value.rstrip("*") or "?" in value):
        raise SearchQueryError(_("ใช้ * ได้เฉพาะท้ายคำ"))
    value = value.rstrip("*") if prefix else value
    if field == "id":
        import uuid

        try:
            return Q(pk=uuid.UUID(value))
        except ValueError:
            return _none()
    if field == "owner_org":
        return Q(organization_id__in=_organization_ids(value))
    if field == "allow_harvest":
        return harvestable_q() if value.lower() == "true" else ~harvestable_q() if value.lower() == "false" \
            else _none()
    if field in DATES:
        moment = solr_date(value, field)
        return Q(**{field: moment})
    if field in COUNTS:
        return _count_q(field, value, value)
    if field in LISTS:
        return _list_q(field, value)
    if field in MANY:
        relation, column = MANY[field]
        lookup = "istartswith" if prefix else "iexact"
        ids = Dataset.objects.filter(**{f"{relation}__{column}__{lookup}": value}).values("pk")
        return Q(pk__in=ids)
    if field in FIELDS:
        return Q(**{FIELDS[field] + ("__startswith" if prefix else ""): value})
    raise SearchQueryError(_("ค้นตามฟิลด์ %(field)s ไม่ได้ ใช้ได้: %(fields)s")
                           % {"field": field[:60], "fields": ", ".join(KNOWN_FIELDS)})


def _list_q(field, value) -> Q:
    """Datasets whose list field holds `value`: the JSON text contains the value as a JSON string (SQLite keeps
    non-ASCII escaped in JSON, PostgreSQL's jsonb prints it as is)."""
    import json

    from django.db import connection
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from .models import Dataset

    needle = json.dumps(value, ensure_ascii=connection.vendor != "postgresql")
    ids = Dataset.objects.annotate(_text=Cast(field, TextField())).filter(_text__contains=needle).values("pk")
    return Q(pk__in=ids)


def _count_q(field, low, high, include_low=True, include_high=True) -> Q:
    from django.db.models import Count

    from .models import Dataset

    try:
        low = None if low == "*" else int(low)
        high = None if high == "*" else int(high)
    except ValueError:
        raise SearchQueryError(_("%(field)s ต้องเป็นจำนวนเต็ม") % {"field": field}) from None
    counted = Dataset.objects.annotate(n=Count(COUNTS[field], distinct=True))
    if low is not None:
        counted = counted.filter(**{"n__gte" if include_low else "n__gt": low})
    if high is not None:
        counted = counted.filter(**{"n__lte" if include_high else "n__lt": high})
    return Q(pk__in=counted.values("pk"))


def _range_q(field, node) -> Q:
    low, _p = _unquote(node.low)
    high, _p = _unquote(node.high)
    if field in COUNTS:
        return _count_q(field, low, high, node.include_low, node.include_high)
    if field not in DATES:
        if field not in KNOWN_FIELDS:
            return _value_q(field, node.low)  # the unknown-field message
        raise SearchQueryError(_("ค้นเป็นช่วงได้เฉพาะ metadata_modified, metadata_created, num_resources และ num_tags"))
    q = Q()
    if low != "*":
        q &= Q(**{f"{field}__{'gte' if node.include_low else 'gt'}": solr_date(low, field)})
    if high != "*":
        q &= Q(**{f"{field}__{'lte' if node.include_high else 'lt'}": solr_date(high, field)})
    return q


def _flatten(node) -> list:
    """The clauses of one level of a boolean query in the order written, with the operator before each:
    [(None, a), ("OR", b), ("AND", c)]. luqum nests `a OR b -c` as `a OR (b -c)`; Solr reads it as one level."""
    from luqum import tree

    if not isinstance(node, tree.OrOperation | tree.AndOperation | tree.UnknownOperation):
        return [(None, node)]
    op = "OR" if isinstance(node, tree.OrOperation) else "AND"
    result = []
    for i, child in enumerate(node.children):
        parts = _flatten(child)
        if i:
            parts[0] = (op, parts[0][1])
        result += parts
    return result


def _boolean_q(clauses, field) -> Q:
    """One level of clauses as Solr's fq means them: a clause with `-`/NOT excludes, whatever stands around it;
    clauses joined by OR form one alternative; alternatives joined by AND or a space must all hold."""
    from luqum import tree

    chains, excluded = [], Q()
    for op, node in clauses:
        if isinstance(node, tree.Not | tree.Prohibit):
            excluded &= ~_tree_q(node.a, field)
            continue
        q = _tree_q(node, field)
        if op == "OR" and chains:
            chains[-1] |= q
        else:
            chains.append(q)
    result = Q()
    for chain in chains:
        result &= chain
    return result & excluded


def _tree_q(node, field=None) -> Q:
    from luqum import tree

    if isinstance(node, tree.SearchField):
        if field is not None:
            raise SearchQueryError(_("ฟิลด์ซ้อนฟิลด์ไม่ได้: %(field)s") % {"field": node.name[:60]})
        return _tree_q(node.expr, node.name)
    if isinstance(node, tree.Group | tree.FieldGroup):
        return _tree_q(node.expr, field)
    if isinstance(node, tree.Not | tree.Prohibit):
        return ~_tree_q(node.a, field)
    if isinstance(node, tree.Plus):
        return _tree_q(node.a, field)
    if isinstance(node, tree.Boost | tree.Proximity | tree.Fuzzy):
        return _tree_q(node.term, field)
    if isinstance(node, tree.OrOperation | tree.AndOperation | tree.UnknownOperation):
        return _boolean_q(_flatten(node), field)
    if isinstance(node, tree.Word | tree.Phrase | tree.Range):
        return _value_q(field or "text", node)
    raise SearchQueryError(_("ไม่รองรับ %(part)s ในคำค้น") % {"part": str(node)[:60]})


def parse_query(text: str) -> Q:
    """A Lucene/Solr query (`fq`, or a `q` with fields or operators) as a condition on Dataset."""
    from luqum.exceptions import ParseError
    from luqum.parser import parser

    text = (text or "").strip()
    if not text or text in ("*:*", "*"):
        return Q()
    if len(text) > 4000:
        raise SearchQueryError(_("คำค้นยาวเกินไป"))
    try:
        tree = parser.parse(text)
    except (ParseError, RecursionError) as exc:
        raise SearchQueryError(_("รูปแบบคำค้นไม่ถูกต้อง: %(error)s (ใช้ ฟิลด์:ค่า เช่น tags:งบประมาณ)")
                               % {"error": str(exc)[:200]}) from None
    return _tree_q(tree)


parse_fq = parse_query

QUERY_SYNTAX_RE = re.compile(r'(^|\s)(OR|AND|NOT)(\s|$)|(^|\s)[-+]\S|[:()"]')


def is_structured(q: str) -> bool:
    """Whether `q` uses query syntax (fields, OR/AND/NOT, +/-, groups, phrases) rather than plain words."""
    return bool(QUERY_SYNTAX_RE.search(q or ""))


SORTS = {
    "id": "pk",
    "score": None,
    "relevance": None,
    "name": "name",
    "title_string": "title",
    "title": "title",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "views_recent": "download_count",
    "views_total": "download_count",
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
