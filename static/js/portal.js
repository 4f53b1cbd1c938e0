/* Wide tables on a phone scroll sideways inside their .table-wrap box. Where one does, say so (a visible cue)
   and let the keyboard reach it (tabindex, a named region), as WCAG's scrollable-region-focusable asks. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("scrolls", scrolls);
      // A table says what scrolls into view (data-scroll-cue: "the other years"); else the page's general cue.
      var cue = wrap.getAttribute("data-scroll-cue") || document.body.dataset.scrollCue || "";
      wrap.dataset.cue = cue;
      if (scrolls) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.getAttribute("aria-label")) {
          var heading = wrap.previousElementSibling;
          while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
          wrap.setAttribute("aria-label", (heading ? heading.textContent.trim() + " · " : "") + cue);
        }
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
