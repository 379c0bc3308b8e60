// Navigation drawer from the keyboard (issues 11 and 27). Below 1220 px Material opens its drawer
// with a <label> that takes no focus; the header's button toggles the same checkbox instead
// (a click on the checkbox fires the change event Material listens to), says whether the
// drawer is open and moves focus into it. While it is open it covers the page: Tab and
// Shift+Tab go round its links and stay in it; Escape closes it and returns focus to the
// button, as does closing it by a click beside it while focus was in it.
// Links in a closed drawer take no Tab stops: a11y.css hides it (visibility); from 1220 px the
// sidebar is always shown and the button is hidden (no Tab stop).
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector(".sb-menu-button");
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !button) return;

  // the drawer covers the page: it is open, and the button that opens it is shown (below 1220 px)
  function covering() {
    return toggle.checked && drawer && button.getClientRects().length > 0;
  }

  // the drawer's Tab stops, in order: shown, not disabled, not taken out of the Tab order
  function stops() {
    var all = drawer.querySelectorAll("a[href], button, input, select, textarea, [tabindex]");
    return Array.prototype.filter.call(all, function (el) {
      return el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility === "visible";
    });
  }

  function sync() {
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
    if (!toggle.checked && drawer && drawer.contains(document.activeElement)) button.focus();
  }

  button.addEventListener("click", function () {
    toggle.click();
    if (toggle.checked && drawer) {
      var first = drawer.querySelector("a[href]");
      // focus once the drawer is visible (a11y.css shows it as soon as the box is checked)
      if (first) requestAnimationFrame(function () { first.focus(); });
    }
  });
  toggle.addEventListener("change", sync);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) {
      toggle.click();
      button.focus();
    } else if (event.key === "Tab" && covering()) {
      var all = stops();
      if (!all.length) return;
      var at = all.indexOf(document.activeElement);
      if (event.shiftKey && at <= 0) {
        event.preventDefault();
        all[all.length - 1].focus();
      } else if (!event.shiftKey && (at === -1 || at === all.length - 1)) {
        event.preventDefault();
        all[0].focus();
      }
    }
  });
  sync();
})();
