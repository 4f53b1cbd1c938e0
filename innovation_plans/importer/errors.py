"""The one exception the importer raises: the import either completes or fails with this."""


class PlanImportError(Exception):
    """A plan file that cannot be imported.

    ``message`` is Thai (shown to staff); ``en`` is the same in English. ``line`` is the 1-based line (text,
    CSV), row (XLSX) or item (DOCX) where the problem is; ``where`` overrides how that place is named, as a
    (Thai, English) pair, e.g. ("ตารางที่ 2 แถวที่ 3", "table 2 row 3") for a Word table.
    """

    def __init__(self, message, line=None, *, en=None, where=None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.en = en
        if where is None and line is not None:
            where = (f"บรรทัด {line}", f"line {line}")
        self.where = where

    def __str__(self):
        """One language at a time: the active one (English when it is active and given, else Thai)."""
        from django.utils.translation import get_language

        english = bool(self.en) and (get_language() or "").startswith("en")
        message = self.en if english else self.message
        if self.where is None:
            return message
        return f"{self.where[1 if english else 0]}: {message}"
