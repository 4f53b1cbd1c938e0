/* Form builder conveniences on top of plain forms (everything works without this file): the choice rows show
   only for choice types, "add a row" adds one in place, removals and roll-backs ask first, and the preview's
   language switches without reloading the page. */
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  function choiceToggle(form) {
    var kinds = (form.getAttribute("data-choice-kinds") || "").split(" ");
    var select = form.querySelector("select[name$='-kind']");
    var box = form.querySelector("fieldset.choices");
    if (!select || !box) { return; }
    var sync = function () { box.hidden = kinds.indexOf(select.value) < 0; };
    select.addEventListener("change", sync);
    var list = box.querySelector(".choice-rows");
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button";
    add.textContent = en ? "Add a choice" : "เพิ่มตัวเลือก";
    add.addEventListener("click", function () {
      var items = list.querySelectorAll("li");
      var last = items[items.length - 1];
      var copy = last.cloneNode(true);
      var n = items.length + 1;
      var inputs = copy.querySelectorAll("input");
      var labels = copy.querySelectorAll("label");
      Array.prototype.forEach.call(inputs, function (input, i) {
        input.value = "";
        input.id = input.id.replace(/-\d+$/, "-" + n);
        if (labels[i]) {
          labels[i].htmlFor = input.id;
          labels[i].textContent = i === 0 ? (en ? "Choice " : "ตัวเลือกที่ ") + n
            : (en ? "Choice " + n + " in English (optional)" : "ตัวเลือกที่ " + n + " ภาษาอังกฤษ (ไม่บังคับ)");
        }
      });
      list.appendChild(copy);
      inputs[0].focus();
    });
    list.insertAdjacentElement("afterend", add);
  }
  function confirms() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-confirm]"), function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }
  function previewLanguage() {
    var frame = document.getElementById("preview-frame");
    if (!frame) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-preview-lang]"), function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var lang = link.getAttribute("data-preview-lang");
        frame.src = frame.src.replace(/([?&]lang=)\w+/, "$1" + lang);
        Array.prototype.forEach.call(document.querySelectorAll("[data-preview-lang]"), function (other) {
          if (other === link) { other.setAttribute("aria-current", "true"); } else { other.removeAttribute("aria-current"); }
        });
      });
    });
  }
  /* After a step (move, copy, save) the page comes back at the field worked on: put the keyboard focus there too,
     so the next Tab continues from that field rather than from the top of the page. */
  function focusTarget() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(id);
    if (target && target.getAttribute("tabindex") === "-1") { target.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusTarget();
    Array.prototype.forEach.call(document.querySelectorAll("form.field-edit"), choiceToggle);
    confirms();
    previewLanguage();
  });
})();
