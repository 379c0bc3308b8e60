// Citations: put today's date in place of the access-date placeholder, in the page's
// language. Without scripts the placeholder stays for the reader to fill in; the built
// HTML never holds a build date, so two builds stay byte-identical.
(function () {
  function fill() {
    var today = new Date();
    var lang = document.documentElement.lang || "vi";
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var iso = today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate());
    var local = lang === "vi"
      ? "ngày " + today.getDate() + " tháng " + (today.getMonth() + 1) + " năm " + today.getFullYear()
      : today.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    document.querySelectorAll(".sb-cite").forEach(function (box) {
      var placeholder = box.getAttribute("data-access-placeholder");
      var isoPlaceholder = box.getAttribute("data-access-iso-placeholder");
      box.querySelectorAll("pre code").forEach(function (code) {
        code.textContent = code.textContent.split(placeholder).join(local).split(isoPlaceholder).join(iso);
      });
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(fill);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fill);
  } else {
    fill();
  }
})();
