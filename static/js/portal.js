/* Wide tables on a phone scroll sideways inside their .table-wrap box. Where one does, say so (a visible cue)
   and let the keyboard reach it (tabindex, a named region), as WCAG's scrollable-region-focusable asks. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("scrolls", scrolls);
      wrap.dataset.cue = document.body.dataset.scrollCue || "";
      if (scrolls) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.getAttribute("aria-label")) {
          var heading = wrap.previousElementSibling;
          while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
          wrap.setAttribute("aria-label", (heading ? heading.textContent.trim() + " · " : "") + document.body.dataset.scrollCue);
        }
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
