/* Forms that never lose input (portal.inputs.forms.KeepInputMixin).
   - A textarea with data-maxlength shows "1,234 / 4,000" as the citizen types, and says so when it is over: the
     text is never cut (the server refuses it with a clear error and shows it again).
   - A kept file's "remove" checkbox becomes a button: the file is hidden now and dropped when the form is sent. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "th";
  var number = window.Intl ? new Intl.NumberFormat(lang === "th" ? "th-TH" : "en-US") : { format: String };
  var over = lang === "th" ? "เกินกำหนด %n ตัวอักษร" : "%n characters over the limit";
  var left = lang === "th" ? "พิมพ์ได้อีก %n ตัวอักษร" : "%n characters left";

  function counter(area, index) {
    var max = parseInt(area.getAttribute("data-maxlength"), 10);
    if (!max) { return; }
    var shown = document.createElement("p");
    shown.className = "char-count";
    shown.id = (area.id || "text-" + index) + "-count";
    area.insertAdjacentElement("afterend", shown);
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    shown.insertAdjacentElement("afterend", spoken);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + shown.id);
    var timer = null;
    function update() {
      // Count what the server counts: code points, with line breaks sent as CR LF.
      var length = Array.from(area.value.replace(/\r?\n/g, "\r\n")).length;
      shown.textContent = number.format(length) + " / " + number.format(max);
      shown.classList.toggle("over", length > max);
      clearTimeout(timer);
      timer = setTimeout(function () {
        spoken.textContent = length > max ? over.replace("%n", number.format(length - max))
          : (max - length <= max / 10 ? left.replace("%n", number.format(max - length)) : "");
      }, 800);
    }
    area.addEventListener("input", update);
    update();
  }

  function removable(box) {
    var status = box.closest("[data-kept-files]").querySelector("[data-kept-status]");
    var label = box.closest("label");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kept-remove-button";
    button.textContent = box.getAttribute("data-button-label");
    button.setAttribute("aria-label", box.getAttribute("data-button-name"));
    button.addEventListener("click", function () {
      box.checked = true;
      var item = box.closest("li");
      item.hidden = true;
      if (status) { status.textContent = box.getAttribute("data-removed"); }
      var input = box.closest("[data-kept-files]").querySelector("input[type=file]");
      if (input) { input.focus(); }
    });
    label.hidden = true;
    label.insertAdjacentElement("afterend", button);
  }

  function start() {
    document.querySelectorAll("textarea[data-maxlength]").forEach(counter);
    document.querySelectorAll("[data-kept-drop]").forEach(removable);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
