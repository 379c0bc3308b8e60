/* League tables: find an agency by name with or without tone marks, and sort by a
   column. Progressive enhancement: without JavaScript the full table is still there,
   sorted by the number of criteria met. No library, no request to any other host. */
(function () {
  "use strict";

  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // A row shows when it matches the filter and, while "only the chosen" is on, is chosen.
  function refresh(body) {
    var query = body.sbQuery || "";
    var only = !!body.sbOnlyPicked;
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var match = (!query || (row.getAttribute("data-name") || "").indexOf(query) !== -1)
        && (!only || row.classList.contains("sb-picked"));
      row.hidden = !match;
      if (match) shown += 1;
    });
    (body.sbListeners || []).forEach(function (listener) { listener(shown); });
  }

  function listen(body, listener) {
    body.sbListeners = (body.sbListeners || []).concat([listener]);
  }

  function setUpFilter(box) {
    var body = document.getElementById(box.getAttribute("data-filter-for"));
    if (!body) return;
    var input = box.querySelector("input");
    var count = box.querySelector(".sb-filter__count");
    var template = input.getAttribute("data-count-template");
    box.hidden = false;
    listen(body, function (shown) {
      count.textContent = template.replace("{shown}", shown).replace("{total}", body.rows.length);
    });
    function apply() {
      body.sbQuery = fold(input.value);
      refresh(body);
    }
    input.addEventListener("input", apply);
    apply();
  }

  // Compare a few agencies side by side: a tick box by each name, and a button that shows
  // only the ticked rows (e.g. a province and its neighbours). The choice is kept in the
  // address (#compare=id,id) so that it can be shared.
  function setUpCompare(box) {
    var body = document.getElementById(box.getAttribute("data-compare-for"));
    if (!body) return;
    var toggle = box.querySelector(".sb-compare__toggle");
    var clear = box.querySelector(".sb-compare__clear");
    var status = box.querySelector(".sb-compare__status");
    var pickLabel = status.getAttribute("data-pick-label");
    var rows = Array.prototype.slice.call(body.rows);
    var wanted = {};
    var match = /^#compare=(.+)$/.exec(window.location.hash);
    if (match) match[1].split(",").forEach(function (id) { wanted["row-" + decodeURIComponent(id)] = true; });
    box.hidden = false;

    function picked() { return rows.filter(function (row) { return row.classList.contains("sb-picked"); }); }

    function update() {
      var n = picked().length;
      if (!n && body.sbOnlyPicked) body.sbOnlyPicked = false;
      toggle.disabled = !n && !body.sbOnlyPicked;
      clear.disabled = !n;
      toggle.setAttribute("aria-pressed", body.sbOnlyPicked ? "true" : "false");
      toggle.textContent = toggle.getAttribute(body.sbOnlyPicked ? "data-label-on" : "data-label-off");
      status.textContent = status.getAttribute("data-template").replace("{count}", n);
      refresh(body);
    }

    function remember() {
      var ids = picked().map(function (row) { return encodeURIComponent(row.id.replace(/^row-/, "")); });
      var address = window.location.pathname + window.location.search + (ids.length ? "#compare=" + ids.join(",") : "");
      if (window.history && window.history.replaceState) window.history.replaceState(null, "", address);
    }

    rows.forEach(function (row) {
      var cell = row.cells[0];
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "sb-pick";
      box.setAttribute("aria-label", pickLabel.replace("{name}", cell.textContent.trim()));
      box.checked = !!wanted[row.id];
      row.classList.toggle("sb-picked", box.checked);
      box.addEventListener("change", function () {
        row.classList.toggle("sb-picked", box.checked);
        remember();
        update();
      });
      cell.insertBefore(box, cell.firstChild);
    });
    toggle.addEventListener("click", function () {
      body.sbOnlyPicked = !body.sbOnlyPicked;
      update();
    });
    clear.addEventListener("click", function () {
      rows.forEach(function (row) {
        row.classList.remove("sb-picked");
        row.querySelector(".sb-pick").checked = false;
      });
      body.sbOnlyPicked = false;
      remember();
      update();
    });
    body.sbOnlyPicked = picked().length > 0;
    update();
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
        // first click: the column's natural order (names A-Z, most criteria met first...);
        // a second click on the same column reverses it
        var current = th.getAttribute("aria-sort");
        var descending = current ? current !== "descending" : th.getAttribute("data-sort-first") === "descending";
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

  // On a phone a league table shows one criterion at a time (scoreboard.css): the reader picks
  // it here. The column's cells carry sb-shown; "every criterion" shows them all.
  function setUpShownColumn(box) {
    var table = document.getElementById(box.getAttribute("data-show-for")).closest("table");
    var select = box.querySelector("select");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    box.hidden = false;
    select.addEventListener("change", function () {
      var index = -1;
      headers.forEach(function (th) { if (th.getAttribute("data-column") === select.value) index = th.cellIndex; });
      table.classList.toggle("sb-league--all", index < 0);
      Array.prototype.forEach.call(table.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.classList.contains("sb-crit")) cell.classList.toggle("sb-shown", cell.cellIndex === index);
        });
      });
    });
  }

  function start() {
    document.querySelectorAll(".sb-filter[data-filter-for]").forEach(setUpFilter);
    document.querySelectorAll(".sb-compare[data-compare-for]").forEach(setUpCompare);
    document.querySelectorAll("table.sb-league").forEach(setUpSorting);
    document.querySelectorAll(".sb-league-show[data-show-for]").forEach(setUpShownColumn);
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(start);  // Material's instant loading, if ever turned on
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
