/* League tables: find an agency by name with or without tone marks, and sort by a
   column. Progressive enhancement: without JavaScript the full table is still there,
   sorted by the number of criteria met. No library, no request to any other host. */
(function () {
  "use strict";

  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function setUpFilter(box) {
    var body = document.getElementById(box.getAttribute("data-filter-for"));
    if (!body) return;
    var input = box.querySelector("input");
    var count = box.querySelector(".sb-filter__count");
    var rows = Array.prototype.slice.call(body.rows);
    var template = input.getAttribute("data-count-template");
    box.hidden = false;
    function apply() {
      var query = fold(input.value);
      var shown = 0;
      rows.forEach(function (row) {
        var match = !query || (row.getAttribute("data-name") || "").indexOf(query) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = template.replace("{shown}", shown).replace("{total}", rows.length);
    }
    input.addEventListener("input", apply);
    apply();
  }

  var STATUS_ORDER = { met: 3, not_applicable: 2, unknown: 1, not_met: 0 };

  function sortValue(cell, kind) {
    if (kind === "number") return parseFloat(cell.getAttribute("data-value")) || 0;
    if (kind === "status") return STATUS_ORDER[cell.getAttribute("data-value")] || 0;
    return fold(cell.textContent);
  }

  function setUpSorting(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    headers.forEach(function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") !== "descending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortValue(a.cells[index], kind), y = sortValue(b.cells[index], kind);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function start() {
    document.querySelectorAll(".sb-filter[data-filter-for]").forEach(setUpFilter);
    document.querySelectorAll("table.sb-league").forEach(setUpSorting);
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(start);  // Material's instant loading, if ever turned on
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
