// The office display fetches the numbers called every few seconds and swaps them in: the page itself never reloads,
// so a network drop cannot leave the TV on a browser error page. While the portal cannot be reached the last numbers
// stay, a notice says so, and the display tries again later and later (5 s, 10 s, 20 s … at most a minute), then
// goes back to its pace on the first answer. A script, not <meta refresh>: a timed refresh in markup is an
// accessibility failure (WCAG 2.2.1) on any screen a person may be reading.
(function () {
  "use strict";
  var body = document.body;
  var pace = parseInt(body.getAttribute("data-refresh-seconds") || "5", 10) * 1000;
  var url = body.getAttribute("data-screen-url");
  var screen = document.getElementById("screen");
  var offline = document.getElementById("tv-offline");
  var clock = document.getElementById("tv-clock");
  var wait = pace;
  var MAX_WAIT = 60000;
  if (!url || !screen) { return; }

  function next(delay) { window.setTimeout(refresh, delay); }

  function refresh() {
    fetch(url, {cache: "no-store", credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      screen.innerHTML = html;
      var stamp = screen.querySelector("[data-clock]");
      if (stamp && clock) { clock.textContent = stamp.getAttribute("data-clock"); }
      offline.hidden = true;
      wait = pace;
      next(wait);
    }).catch(function () {
      offline.hidden = false;
      wait = Math.min(wait * 2, MAX_WAIT);
      next(wait);
    });
  }
  next(pace);
})();
