"""The importer's one error: a Thai message id with its values, shown in the active language through the catalogues
(English in innovation_plans/locale/en/LC_MESSAGES/django.po)."""

from django.utils.translation import gettext, gettext_noop

# How a place in the file is named (a message id and its values, see PlanImportError.where).
LINE = gettext_noop("บรรทัด %(n)s")
ROW = gettext_noop("แถว %(n)s")
TABLE_ROW = gettext_noop("ตารางที่ %(table)s แถวที่ %(row)s")
NOT_A_BUDGET = gettext_noop("งบประมาณ '%(value)s' ไม่ใช่ตัวเลข")


def _render(message, params, translate) -> str:
    text = translate(message)
    return text % params if params else text


class PlanImportError(Exception):
    """A plan file that cannot be imported.

    ``message`` is a Thai message id (marked with gettext_noop) and ``params`` its values; str() is the message in the
    active language, one language at a time. ``line`` is the 1-based line (text, CSV), row (XLSX) or item (DOCX)
    where the problem is; ``where`` overrides how that place is named, as a (message id, values) pair, e.g.
    (TABLE_ROW, {"table": 2, "row": 3}) for a Word table.
    """

    def __init__(self, message, line=None, *, params=None, where=None):
        super().__init__(message)
        self.message = message
        self.params = params or {}
        self.line = line
        if where is None and line is not None:
            where = (LINE, {"n": line})
        self.where = where

    @property
    def thai_message(self) -> str:
        """The message in Thai whatever the page's language (for import warnings, which are stored in Thai)."""
        return _render(self.message, self.params, str)

    def __str__(self):
        message = _render(self.message, self.params, gettext)
        if self.where is None:
            return message
        return f"{_render(*self.where, gettext)}: {message}"
