"""Word (.docx) documents to items: paragraphs become lines, table rows become rows, in document order.

Merged cells are laid out on the table grid. A horizontally merged cell repeats its text in every grid column it
covers (marked in ``Row.hcont``) so that an arrow drawn across merged year columns marks each of those years; a
vertically merged cell repeats the text above (``Row.vcont``), as a unit merged over several rows applies to each.
"""

import io

from django.utils.translation import gettext_noop

from .errors import TABLE_ROW, PlanImportError
from .tables import Line, Row


def docx_items(data):
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises KeyError, ValueError, lxml errors … for a damaged file
        raise PlanImportError(gettext_noop("ไฟล์ Word เสียหายหรืออ่านไม่ได้")) from None

    items = []
    table_number = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            items.append(Line(len(items) + 1, _paragraph_text(child, qn)))
        elif child.tag == qn("w:tbl"):
            table_number += 1
            _table_rows(child, qn, table_number, items)
    return items


def _paragraph_text(p, qn):
    parts = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc, qn):
    # Nested tables are read as text; paragraphs inside a cell stay separate lines.
    return "\n".join(_paragraph_text(p, qn) for p in tc.iter(qn("w:p"))).strip()


def _table_rows(tbl, qn, table_number, items):
    above = {}  # grid column -> text of the cell above, for vertical merges
    for row_number, tr in enumerate(tbl.iterchildren(qn("w:tr")), 1):
        cells, hcont, vcont = [], set(), set()
        before = tr.find(qn("w:trPr"))
        skip = 0
        if before is not None:
            grid_before = before.find(qn("w:gridBefore"))
            if grid_before is not None:
                skip = int(grid_before.get(qn("w:val"), "0"))
        cells.extend([""] * skip)
        for tc in tr.iterchildren(qn("w:tc")):
            span, merge = 1, None
            props = tc.find(qn("w:tcPr"))
            if props is not None:
                grid_span = props.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = int(grid_span.get(qn("w:val"), "1"))
                v_merge = props.find(qn("w:vMerge"))
                if v_merge is not None:
                    merge = v_merge.get(qn("w:val"), "continue")
            start = len(cells)
            if merge == "continue":
                text = above.get(start, "")
                vcont.update(range(start, start + span))
            else:
                text = _cell_text(tc, qn)
            for offset in range(span):
                if offset:
                    hcont.add(start + offset)
                cells.append(text)
                above[start + offset] = text
        items.append(
            Row(
                len(items) + 1,
                cells,
                hcont=frozenset(hcont),
                vcont=frozenset(vcont),
                where=(TABLE_ROW, {"table": table_number, "row": row_number}),
            )
        )
