// The call display (a screen in the office) reloads itself every few seconds. A script, not <meta refresh>:
// a timed refresh in markup is an accessibility failure (WCAG 2.2.1) on any screen a person may be reading.
(function () {
  var seconds = parseInt(document.body.getAttribute("data-refresh-seconds") || "5", 10);
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
