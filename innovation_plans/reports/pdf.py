"""PDF through WeasyPrint (Pango shapes Thai: vowels and tone marks stacked correctly) with the local Sarabun font."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from portal import thai

FONT_FILES = {
    (400, "thai"): "fonts/sarabun-thai-400-normal.woff",
    (700, "thai"): "fonts/sarabun-thai-700-normal.woff",
    (400, "latin"): "fonts/sarabun-latin-400-normal.woff",
    (700, "latin"): "fonts/sarabun-latin-700-normal.woff",
}
FONT_STACK = '"SarabunLatin", "SarabunThai", "Laksaman", "Garuda", sans-serif'


@lru_cache(maxsize=1)
def font_css() -> str:
    """@font-face rules pointing at the project's own Sarabun files (found like any static file)."""
    rules = []
    for (weight, subset), name in FONT_FILES.items():
        path = finders.find(name) or str(Path(settings.BASE_DIR) / "static" / name)
        if not Path(path).exists():
            continue
        # One family per subset: WeasyPrint does not split text by unicode-range, but Pango falls back per
        # character along font-family, so "SarabunLatin", "SarabunThai" gives Latin and digits from the first and
        # Thai (with its mark positioning) from the second.
        family = "SarabunLatin" if subset == "latin" else "SarabunThai"
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
                     f'src: url("{Path(path).resolve().as_uri()}") format("woff"); }}')
    return "\n".join(rules)


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {**context, "font_css": font_css(), "font_stack": FONT_STACK,
                                       "generated": thai.format_be_date(timezone.now())})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_font_config())


def plan_pdf(fig, year, progress=None) -> bytes:
    from . import report_context

    if progress:
        progress(30, "จัดเตรียมข้อมูล / preparing data")
    context = {"plan": fig.plan, "organization": fig.plan.organization, "fig": fig, "year": year,
               **report_context(fig, year)}
    if progress:
        progress(50, "สร้าง PDF / rendering PDF")
    return render_pdf("innovation_plans/report_pdf.html", context)


def summary_pdf(lines, year, totals) -> bytes:
    return render_pdf("innovation_plans/audit_summary_pdf.html", {"lines": lines, "year": year, "totals": totals})
