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
  document.addEventListener("DOMContentLoaded", run);
  document.addEventListener("formset:added", run);
})();
