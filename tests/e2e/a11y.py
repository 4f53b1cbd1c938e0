"""Accessibility and Thai-rendering checks shared by the browser tests.

    from tests.e2e.a11y import assert_axe_clean, assert_thai_not_clipped

    page.goto(url)
    assert_axe_clean(page)            # axe-core, WCAG 2.1 AA: fails on any serious or critical violation
    assert_thai_not_clipped(page)     # every control / table cell with Thai marks has room for them

axe-core comes from npm through the project's own setup (`make setup-test` runs `npm ci` in tools/axe);
it is injected from node_modules, never from a CDN.
"""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, *, impacts=("serious", "critical"), disable=()):
    """Run axe-core on the page as it is now; return the violations whose impact is in `impacts`."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} missing: run `make setup-test` (npm ci in tools/axe)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Given to the browser through its debugging protocol, which the portal's Content-Security-Policy (scripts
        # from the portal only) rightly does not allow a page to do with an inline <script>: once per browser
        # context, for this page and every page it opens next (half a megabyte sent once, not per page).
        page.context.add_init_script(path=str(AXE_JS))
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    # Only the violations are gathered and sent back (axe's resultTypes): the passes are most of its work and of
    # its answer, and nothing here reads them.
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"],
               "rules": {rule: {"enabled": False} for rule in disable}}
    violations = page.evaluate("(options) => window.axe.run(document, options).then(r => r.violations)", options)
    return [v for v in violations if v.get("impact") in impacts]


def assert_axe_clean(page, *, disable=()):
    """Fail with a readable list when axe-core finds serious or critical WCAG 2.1 AA violations."""
    found = axe_violations(page, disable=disable)
    if found:
        lines = [f"axe: {len(found)} serious/critical violation(s) on {page.url}"]
        for v in found:
            targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                                for n in v["nodes"][:5])
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} -> {targets}")
        raise AssertionError("\n".join(lines))


# For each visible control or table cell whose text has Thai above- or below-base marks, measure the glyphs'
# ink box with the element's own font (canvas measureText) and compare it with the room the element gives its
# text: the content box for inputs/selects/textareas (they clip there), the inside of the border for cells/buttons.
_CLIP_JS = r"""
() => {
  const MARKS = /[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]/;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  const out = [];
  let checked = 0;
  const textOf = (el) => {
    const tag = el.tagName.toLowerCase();
    if (tag === 'select') return el.selectedIndex >= 0 ? el.options[el.selectedIndex].text : '';
    if (tag === 'input') return el.value || el.placeholder || '';
    if (tag === 'textarea') return el.value || el.placeholder || '';
    return el.innerText || '';
  };
  for (const el of document.querySelectorAll('input, select, textarea, button, td, th, .btn')) {
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height) continue;
    const tag = el.tagName.toLowerCase();
    if (tag === 'input' && ['hidden', 'checkbox', 'radio', 'file', 'range', 'color'].includes(el.type)) continue;
    const lines = textOf(el).split('\n').map(s => s.trim()).filter(s => MARKS.test(s));
    if (!lines.length) continue;
    const cs = getComputedStyle(el);
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    let ink = 0;
    for (const s of lines) {
      const m = ctx.measureText(s);
      ink = Math.max(ink, m.actualBoundingBoxAscent + m.actualBoundingBoxDescent);
    }
    const padding = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom);
    const borders = parseFloat(cs.borderTopWidth) + parseFloat(cs.borderBottomWidth);
    const content = rect.height - padding - borders;
    // Form fields clip their text at the content box; cells and buttons only at their border.
    const buttonLike = tag === 'input' && ['submit', 'button', 'reset'].includes(el.type);
    const room = ['input', 'select', 'textarea'].includes(tag) && !buttonLike ? content : rect.height - borders;
    checked += 1;
    if (room + 0.5 < ink) {
      out.push({tag, text: lines[0].slice(0, 40), ink: Math.round(ink * 10) / 10, room: Math.round(room * 10) / 10,
                id: el.id || el.name || el.className || ''});
    }
  }
  return {checked, clipped: out};
}
"""


def thai_clipping(page):
    """Return {"checked": n, "clipped": [...]} for the page's controls and cells that hold Thai marks."""
    page.evaluate("() => document.fonts.ready")
    return page.evaluate(_CLIP_JS)


def assert_thai_not_clipped(page, *, min_checked=1):
    """Fail when any input/select/textarea/button/table cell with Thai marks (ุ ู ิ ี ่ ้ ๊ ๋ ั ็ ...) is shorter
    than the glyphs' ink box. `min_checked` guards against a page that checked nothing at all."""
    result = thai_clipping(page)
    assert result["checked"] >= min_checked, f"only {result['checked']} element(s) with Thai marks on {page.url}"
    assert not result["clipped"], f"Thai text clipped on {page.url}: {result['clipped']}"
    return result["checked"]


# A control whose text does not fit its width: a closed drop-down's chosen option, an input's value or placeholder
# (measured with the control's own font), a button whose label overflows it. The text must be read whole.
_CUT_JS = """
() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
                        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  const textWidth = (el, text) => { const s = getComputedStyle(el);
                                    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
                                    return ctx.measureText(text).width; };
  const room = el => { const s = getComputedStyle(el);
                       return el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); };
  const cut = []; let checked = 0;
  for (const el of document.querySelectorAll('select')) {
    const option = el.options[el.selectedIndex];
    if (!shown(el) || el.multiple || el.size > 1 || !option) continue;
    checked++;
    const arrow = Math.max(0, 20 - parseFloat(getComputedStyle(el).paddingRight));  // drawn inside the box
    if (textWidth(el, option.text.trim()) > room(el) - arrow + 1) cut.push({tag: 'select', text: option.text.trim()});
  }
  const typed = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])' +
                ':not([type=submit]):not([type=button]):not([type=range]):not([type=color])';
  for (const el of document.querySelectorAll(typed)) {
    const text = el.value || el.placeholder;
    if (!shown(el) || !text) continue;
    checked++;
    if (textWidth(el, text) > room(el) + 1) cut.push({tag: 'input', text});
  }
  for (const el of document.querySelectorAll('button, input[type=submit], input[type=button], a.button')) {
    if (!shown(el)) continue;
    checked++;
    if (el.scrollWidth > el.clientWidth + 1) cut.push({tag: 'button', text: (el.innerText || el.value || '').trim()});
  }
  return {checked, cut};
}
"""


def controls_cut_off(page):
    """Return {"checked": n, "cut": [...]}: controls whose text is wider than the room they give it."""
    page.evaluate("() => document.fonts.ready")
    return page.evaluate(_CUT_JS)
