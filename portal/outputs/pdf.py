"""PDFs for every app: WeasyPrint (Pango shapes Thai: vowels and tone marks stacked right) with the portal's own
Sarabun, so a report looks the same on any server and never depends on which Thai fonts fontconfig happens to have."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# One family per subset: WeasyPrint does not split text by unicode-range, but Pango falls back per character
# along font-family, so Latin and digits come from the first and Thai from the second.
FONT_FILES = {
    ("SarabunLatin", 400): "fonts/sarabun-latin-400-normal.woff",
    ("SarabunLatin", 700): "fonts/sarabun-latin-700-normal.woff",
    ("SarabunThai", 400): "fonts/sarabun-thai-400-normal.woff",
    ("SarabunThai", 700): "fonts/sarabun-thai-700-normal.woff",
}
FONT_STACK = '"SarabunLatin", "SarabunThai", "Laksaman", "Garuda", sans-serif'


@lru_cache(maxsize=1)
def font_css() -> str:
    """@font-face rules pointing at the project's own font files (found like any static file)."""
    rules = []
    for (family, weight), name in FONT_FILES.items():
        path = Path(finders.find(name) or Path(settings.BASE_DIR) / "static" / name)
        if path.exists():
            rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
                         f'src: url("{path.resolve().as_uri()}") format("woff"); }}')
    return "\n".join(rules)


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(template: str, context: dict, *, base_url: str | None = None) -> bytes:
    """Render a Django template to PDF; the template gets `font_css` and `font_stack`."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "font_css": font_css(), "font_stack": FONT_STACK})
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf(font_config=_font_config())
