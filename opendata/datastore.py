"""Tabular resources in the database (CKAN DataStore): reading CSV / XLSX into typed rows, and datastore_search.

Rows are stored as JSON objects (one DatastoreRecord per row) so the same code runs on SQLite and PostgreSQL;
the column list with its inferred types lives on the resource.
"""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal, InvalidOperation

from django.db.models import FloatField, TextField
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from portal.inputs import tables

MAX_LIMIT = 32000
MAX_ROWS = 200_000
PREVIEW_ROWS = 100

INT_RE = re.compile(r"^[+-]?\d{1,15}$")
NUMERIC_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^\d{4}-\d{2}$")


class NotATable(ValueError):
    """The file cannot be read as a table (message in the user's language)."""


class DatastoreError(ValueError):
    def __init__(self, message, **details):
        super().__init__(message)
        self.details = details


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else the Thai Windows code page files from older spreadsheets use."""
    if b"\x00" in data[:4096]:
        raise NotATable(_("ไฟล์นี้เป็นไฟล์ไบนารี ไม่ใช่ข้อความตาราง"))
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotATable(_("อ่านตัวอักษรในไฟล์ไม่ได้ (ต้องเป็น UTF-8 หรือ TIS-620)"))


def read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:  # the portal's one bounded reader: rows, columns, cell length, cells and time have hard limits
        rows = [r for r in tables.iter_rows(text, "data.csv", dialect=dialect) if any(cell.strip() for cell in r)]
    except tables.TableError as exc:
        raise NotATable(str(exc)) from None
    if not rows:
        raise NotATable(_("ไฟล์ไม่มีข้อมูล"))
    header = [h.strip() for h in rows[0]]
    if len(header) < 1 or all(not h for h in header):
        raise NotATable(_("แถวแรกของไฟล์ต้องเป็นชื่อคอลัมน์"))
    if len(rows) > 1 and len(header) == 1 and not any("," in h or ";" in h for h in header):
        widths = {len(r) for r in rows[1:]}
        if widths != {1}:
            raise NotATable(_("จำนวนคอลัมน์ในแต่ละแถวไม่เท่ากัน ไฟล์นี้ไม่ใช่ตาราง"))
    return header, rows[1:]


def read_xlsx(data: bytes) -> tuple[list[str], list[list]]:
    # The portal's one bounded reader: the sheet's <dimension> claim is ignored, and rows, columns, cells, cell
    # length, the unzipped size and time have hard limits (a 5 KB workbook claiming A1:XFD1048576 is refused).
    rows = []
    try:
        for row in tables.iter_rows(data, "data.xlsx"):
            if any(cell not in (None, "") for cell in row):
                rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except tables.TableError as exc:
        raise NotATable(str(exc)) from None
    if not rows:
        raise NotATable(_("แผ่นงานแรกของไฟล์ไม่มีข้อมูล"))
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    return header, rows[1:]


def unique_header(header: list[str]) -> list[str]:
    seen, result = {}, []
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        if name.startswith("_"):
            name = name.lstrip("_") or f"column_{i + 1}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if not count else f"{name}_{count + 1}")
    return result


def _kind(value) -> str | None:
    """The narrowest type a cell fits: int, numeric, date, text (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "text"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float | Decimal):
        return "int" if float(value).is_integer() and abs(value) < 1e15 else "numeric"
    if isinstance(value, dt.datetime | dt.date):
        return "date"
    text = str(value).strip()
    if not text:
        return None
    if INT_RE.match(text):
        return "int"
    if NUMERIC_RE.match(text):
        return "numeric"
    if DATE_RE.match(text) or MONTH_RE.match(text):
        return "date"
    return "text"


def plain(number: Decimal) -> str:
    """1500.50 -> "1500.5", 2300 -> "2300" (never "2.3E+3")."""
    text = format(number.normalize(), "f")
    return text


def json_number(number: Decimal):
    """An int when whole, else a float (what a JSON number is), from a Decimal."""
    return int(number) if number == number.to_integral_value() and abs(number) < 10**15 else float(number)


ORDER = {"int": 0, "numeric": 1, "date": 2, "text": 3}


# Headers that name identifiers (phone numbers, tax or citizen IDs, postcodes, codes): kept as text whatever their
# digits look like, so 0812345678 and 40000 stay as written.
IDENTIFIER_RE = re.compile(r"(โทร|เบอร์|รหัส|เลขที่|เลขประจำ|ไปรษณีย์|phone|tel|mobile|fax|postcode|postal|zip|code|"
                           r"(^|[_ ])id($|[_ ])|tax)", re.IGNORECASE)


def _identifier(text: str) -> bool:
    """Digits that are a name, not a quantity: a leading zero (0812345678, 01234) or more than 15 digits."""
    digits = text.lstrip("+-")
    return digits.isdigit() and ((len(digits) > 1 and digits[0] == "0") or len(digits) > 15)


def infer_types(rows: list[list], width: int, header: list[str] | None = None) -> list[str]:
    types = [None] * width
    identifiers = [bool(header and i < len(header) and IDENTIFIER_RE.search(header[i] or "")) for i in range(width)]
    for row in rows:
        for i in range(width):
            cell = row[i] if i < len(row) else None
            kind = _kind(cell)
            if kind is None:
                continue
            if kind in ("int", "numeric") and (identifiers[i] or (isinstance(cell, str) and _identifier(cell.strip()))):
                kind = "text"
            current = types[i]
            if current is None:
                types[i] = kind
            elif current != kind:
                if {current, kind} <= {"int", "numeric"}:
                    types[i] = "numeric"
                else:
                    types[i] = "text"
    return [t or "text" for t in types]


def convert(value, kind: str):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "int":
        return int(Decimal(str(value).strip().replace(",", "")))
    if kind == "numeric":  # a JSON number: 1500.5, not "1500.5"
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            return str(value)
        return json_number(number)
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value).strip()
    return str(value).strip() if isinstance(value, str) else str(value)


def table(data: bytes, fmt: str) -> tuple[list[dict], list[dict]]:
    """(fields [{id, type}], records [{column: value}]) of a CSV or XLSX file; NotATable otherwise."""
    fmt = fmt.upper()
    if fmt == "CSV":
        header, rows = read_csv(data)
    elif fmt in ("XLSX", "XLS"):
        header, rows = read_xlsx(data)
    else:
        raise NotATable(_("รูปแบบ %(format)s โหลดเป็นตารางไม่ได้ (ได้เฉพาะ CSV และ XLSX)") % {"format": fmt})
    if len(rows) > MAX_ROWS:
        raise NotATable(_("ตารางยาวเกิน %(max)s แถว") % {"max": f"{MAX_ROWS:,}"})
    names = unique_header(header)
    width = len(names)
    if any(len(r) > width and any(c not in (None, "") for c in r[width:]) for r in rows):
        raise NotATable(_("บางแถวมีคอลัมน์มากกว่าแถวหัวตาราง ไฟล์นี้ไม่ใช่ตารางที่สมบูรณ์"))
    types = infer_types(rows, width, names)
    fields = [{"id": name, "type": kind} for name, kind in zip(names, types, strict=True)]
    records = []
    for row in rows:
        records.append({name: convert(row[i] if i < len(row) else None, types[i]) for i, name in enumerate(names)})
    return fields, records


# ---- datastore_search -------------------------------------------------------------------------------------------

def _parse_json_param(value, key, expected):
    if isinstance(value, str) and value.strip():
        try:
            value = json.loads(value)
        except ValueError:
            raise DatastoreError(_("%(key)s ต้องเป็น JSON") % {"key": key}, **{key: [_("ต้องเป็น JSON")]}) from None
    if value in (None, ""):
        return expected()
    if not isinstance(value, expected):
        raise DatastoreError(_("%(key)s มีรูปแบบไม่ถูกต้อง") % {"key": key}, **{key: [_("รูปแบบไม่ถูกต้อง")]})
    return value


def _unknown(columns, known, key):
    missing = [c for c in columns if c not in known]
    if missing:
        message = _("ไม่มีคอลัมน์ %(columns)s ในตารางนี้ (มี: %(known)s)") % {
            "columns": ", ".join(missing), "known": ", ".join(known)}
        raise DatastoreError(message, **{key: [message]})


def _typed(value, kind):
    """A filter value as the column stores it: numbers as JSON numbers, everything else as text."""
    if value is None:
        return None
    problem = _("ค่า %(value)s ไม่ใช่ตัวเลข") % {"value": str(value)[:50]}
    if kind in ("int", "numeric"):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise DatastoreError(problem, filters=[problem])
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise DatastoreError(problem, filters=[problem]) from None
        if not number.is_finite() or abs(number) >= 2**63:
            raise DatastoreError(problem, filters=[problem])
        return json_number(number)
    if isinstance(value, dict | list):
        raise DatastoreError(_("ค่าของ filters ต้องเป็นข้อความหรือตัวเลข"), filters=[problem])
    return str(value)


def _as_number(value):
    """Rows loaded before numbers were stored as JSON numbers hold them as text: served as numbers all the same."""
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return json_number(number) if number.is_finite() else value
    return value


def _value_search(qs, text: str):
    """Rows with a value (not a column name) containing `text`: each value of the row's JSON object, decoded (SQLite
    keeps Thai escaped in the JSON text itself, so the text of the whole object would never match it)."""
    from django.db import connection

    table = qs.model._meta.db_table
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if connection.vendor == "postgresql":
        where = (f"EXISTS (SELECT 1 FROM jsonb_each_text({table}.data) AS v(key, value) "
                 f"WHERE v.value ILIKE %s ESCAPE '\\')")
    else:
        where = f"EXISTS (SELECT 1 FROM json_each({table}.data) AS v WHERE v.value LIKE %s ESCAPE '\\')"
    return qs.extra(where=[where], params=[pattern])


RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")


def search(resource, *, q="", filters=None, fields=None, sort="", limit=100, offset=0, include_total=True,
           records_format="objects"):
    """CKAN datastore_search: {resource_id, fields, records, total, total_was_estimated, limit, offset, _links}."""
    import csv as csv_module
    from urllib.parse import urlencode

    types = {f["id"]: f["type"] for f in resource.datastore_fields}
    known = list(types)
    if records_format not in RECORDS_FORMATS:
        message = _("records_format ต้องเป็น %(formats)s") % {"formats": ", ".join(RECORDS_FORMATS)}
        raise DatastoreError(message, records_format=[message])
    raw_filters = filters
    filters = _parse_json_param(filters, "filters", dict)
    raw_q = q
    if isinstance(q, str) and q.strip().startswith("{"):
        q = _parse_json_param(q, "q", dict)
    if not isinstance(q, str | dict) and q is not None:
        raise DatastoreError(_("q ต้องเป็นข้อความหรือออบเจกต์ {คอลัมน์: ข้อความ}"), q=[_("รูปแบบไม่ถูกต้อง")])
    raw_fields = fields
    if isinstance(fields, str):
        fields = [f.strip() for f in fields.split(",") if f.strip()] if not fields.strip().startswith("[") else \
            _parse_json_param(fields, "fields", list)
    if fields is not None and not (isinstance(fields, list) and all(isinstance(f, str) for f in fields)):
        raise DatastoreError(_("fields ต้องเป็นรายการชื่อคอลัมน์"), fields=[_("ต้องเป็นรายการชื่อคอลัมน์")])
    fields = list(fields or [])
    _unknown([f for f in fields if f != "_id"], known, "fields")
    _unknown(list(filters), known, "filters")

    qs = resource.records.all()
    # Columns are reached with KeyTransform and numbered aliases, never by building lookups from their names: a
    # column may hold spaces, "__" or anything else a spreadsheet header can.
    for i, (column, value) in enumerate(filters.items()):
        kind = types[column]
        values = value if isinstance(value, list) else [value]
        typed = [_typed(v, kind) for v in values]
        if kind in ("int", "numeric"):  # rows loaded before numbers were JSON numbers hold text
            typed += [str(v) for v in typed if v is not None]
        qs = qs.alias(**{f"_f{i}": KeyTransform(column, "data")})
        qs = qs.filter(**{f"_f{i}__in": typed}) if len(typed) > 1 else qs.filter(**{f"_f{i}": typed[0]})
    if isinstance(q, dict):
        _unknown(list(q), known, "q")
        for i, (column, value) in enumerate(q.items()):
            if isinstance(value, dict | list):
                raise DatastoreError(_("ค่าของ q ต้องเป็นข้อความ"), q=[_("รูปแบบไม่ถูกต้อง")])
            qs = qs.alias(**{f"_q{i}": Cast(KeyTextTransform(column, "data"), TextField())}).filter(
                **{f"_q{i}__icontains": str(value)})
    elif q and str(q).strip():
        qs = _value_search(qs, str(q).strip())

    raw_sort = sort
    if isinstance(sort, list) and all(isinstance(s, str) for s in sort):
        sort = ",".join(sort)
    if not isinstance(sort, str):
        raise DatastoreError(_("sort ต้องเป็นข้อความ เช่น \"คอลัมน์ desc\""), sort=[_("ต้องเป็นข้อความ")])
    order = []
    for part in (sort or "").split(","):
        part = part.strip()
        if not part:
            continue
        quoted = re.match(r'^"((?:[^"]|"")+)"(?:\s+(\w+))?$', part)
        column, direction = (quoted[1].replace('""', '"'), (quoted[2] or "asc")) if quoted else (
            part.rsplit(None, 1) if part.lower().endswith((" asc", " desc")) else (part, "asc"))
        direction = direction.lower()
        if direction not in ("asc", "desc"):
            raise DatastoreError(_("sort ต้องเป็น ชื่อคอลัมน์ asc|desc"), sort=[_("รูปแบบไม่ถูกต้อง")])
        if column == "_id":
            order.append(("-" if direction == "desc" else "") + "row")
            continue
        _unknown([column], known, "sort")
        alias = f"_s{len(order)}"
        expression = KeyTextTransform(column, "data")
        if types[column] in ("int", "numeric"):
            expression = Cast(expression, FloatField())
        qs = qs.alias(**{alias: expression})
        order.append(("-" if direction == "desc" else "") + alias)
    order.append("row")
    total = qs.count() if include_total else None
    rows = qs.order_by(*order).values_list("row", "data")[offset:offset + limit]
    shown = fields or ["_id"] + known
    numeric = {k for k, kind in types.items() if kind in ("int", "numeric")}
    records = []
    for row, data in rows:
        record = {"_id": row, **data}
        records.append({k: _as_number(record.get(k)) if k in numeric else record.get(k) for k in shown})
    field_list = [{"id": "_id", "type": "int"}] + [{"id": k, "type": types[k]} for k in known]
    if fields:
        field_list = [f for f in field_list if f["id"] in fields]
        field_list.sort(key=lambda f: fields.index(f["id"]))
    if records_format == "lists":
        records = [[r[k] for k in shown] for r in records]
    elif records_format in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv_module.writer(out, delimiter="," if records_format == "csv" else "\t", lineterminator="\n")
        for r in records:
            writer.writerow(["" if r[k] is None else r[k] for k in shown])
        records = out.getvalue()

    def link(start):  # the same query, another page (CKAN clients follow _links.next until a short page)
        params = {"resource_id": str(resource.id)}
        for key, value in (("q", raw_q), ("filters", raw_filters), ("fields", raw_fields), ("sort", raw_sort)):
            if value not in (None, "", [], {}):
                params[key] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if records_format != "objects":
            params["records_format"] = records_format
        params.update(limit=limit, offset=start)
        return "/api/3/action/datastore_search?" + urlencode(params)

    return {"resource_id": str(resource.id), "fields": field_list, "records": records, "records_format":
            records_format, "total": total, "total_was_estimated": False, "limit": limit, "offset": offset,
            "include_total": include_total, "_links": {"start": link(0), "next": link(offset + limit)}}
