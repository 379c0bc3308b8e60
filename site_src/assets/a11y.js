// Navigation drawer from the keyboard (issue 11). Below 1220 px Material opens its drawer
// with a <label> that takes no focus; the header's button toggles the same checkbox instead
// (a click on the checkbox fires the change event Material listens to), says whether the
// drawer is open, moves focus into it, and Escape closes it and returns focus to the button.
// Links in a closed drawer take no Tab stops: a11y.css hides it (visibility).
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector(".sb-menu-button");
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !button) return;

  function sync() {
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
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
    }
  });
  sync();
})();
