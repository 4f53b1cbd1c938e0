/* Tabular inlines draw their labels once, in the header row, so each input in the grid has no label of its own
   (axe "label"; a screen reader hears only "edit text"). Name every unlabelled control after its column and its
   row: "2567 · 3.1 ระบบแจ้งเรื่องร้องเรียนออนไลน์". Rows added with "add another" get names too. */
(function () {
  "use strict";
  function rowName(row) {
    var original = row.querySelector("td.original p");
    if (original && original.textContent.trim()) { return original.textContent.trim(); }
    var parts = [];
    ["number", "title", "name", "code"].forEach(function (name) {
      var el = row.querySelector("[name$='-" + name + "']");
      if (el && el.value) { parts.push(el.value); }
    });
    return parts.join(" ") || (document.documentElement.lang === "en" ? "new row" : "แถวใหม่");
  }
  function labelTable(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return { text: th.textContent.replace(/\s+/g, " ").trim(), span: th.colSpan || 1 };
    });
    var columns = [];
    headers.forEach(function (h) { for (var i = 0; i < h.span; i++) { columns.push(h.text); } });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr.form-row"), function (row) {
      var name = rowName(row);
      Array.prototype.forEach.call(row.children, function (cell, index) {
        Array.prototype.forEach.call(cell.querySelectorAll("input, select, textarea"), function (el) {
          if (el.type === "hidden" || (el.labels && el.labels.length && el.labels[0].textContent.trim())) { return; }
          var column = columns[index] || "";
          if (el.type === "checkbox" && /delete|ลบ/i.test(el.name + column)) { column = column || "ลบ"; }
          el.setAttribute("aria-label", (column ? column + " · " : "") + name);
        });
      });
    });
  }
  function run() {
    Array.prototype.forEach.call(document.querySelectorAll(".inline-group .tabular table"), labelTable);
  }
  /* The two-box selector (filter_horizontal) labels its filter boxes with an icon only: give each box the icon's
     own description ("พิมพ์ในช่องนี้เพื่อกรองรายการ…") as its name. SelectFilter draws them on window load. */
  function nameSelectorFilters() {
    Array.prototype.forEach.call(document.querySelectorAll(".selector-filter input"), function (input) {
      var label = input.labels && input.labels[0];
      if (!label || label.textContent.trim() || input.getAttribute("aria-label")) { return; }
      var icon = label.querySelector("[title]");
      input.setAttribute("aria-label", icon ? icon.getAttribute("title") : input.placeholder);
    });
  }
  /* The same selector puts an aria-label on a plain <span> (the icon), which ARIA does not allow: make it an image. */
  function iconsAsImages() {
    Array.prototype.forEach.call(document.querySelectorAll(".selector-filter .help-tooltip[aria-label]"), function (el) {
      el.setAttribute("role", "img");
    });
  }
  /* Autocomplete fields (select2) draw a search box of their own with no label: name it after the field's label.
     select2 redraws that box as choices are added, so watch for it. */
  function nameSelect2Search(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(".select2-search__field"), function (field) {
      if (field.getAttribute("aria-label")) { return; }
      var container = field.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.id ? document.querySelector("label[for='" + select.id + "']") : null;
      field.setAttribute("aria-label", label ? label.textContent.replace(/[:：]\s*$/, "").trim() : field.placeholder || "ค้นหา");
    });
  }
  window.addEventListener("load", function () {
    setTimeout(function () {
      nameSelectorFilters();
      iconsAsImages();
      nameSelect2Search();
      if (window.MutationObserver) {
        new MutationObserver(function () { nameSelect2Search(); }).observe(document.body, { childList: true, subtree: true });
      }
    }, 0);
  });
  document.addEventListener("DOMContentLoaded", run);
  document.addEventListener("formset:added", run);
})();
