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

// "Download PNG": the PNG is made here, in the reader's browser, from the figure's framed
// SVG (its text is drawn as outlines, so the reader's fonts do not matter): the SVG is drawn
// on a canvas at least 1,200 px wide and saved under the figure's own name. Without
// JavaScript, or where a browser cannot draw it, the link gives the SVG itself.
(function () {
  var MIN_WIDTH = 1200;

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function pngOf(svgText) {
    return new Promise(function (resolve, reject) {
      var doc = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
      var width = parseFloat(doc.getAttribute("width")), height = parseFloat(doc.getAttribute("height"));
      if (!(width > 0 && height > 0)) { reject(new Error("no size")); return; }
      var scale = Math.ceil((MIN_WIDTH / width) * 100) / 100;
      while (width * scale < MIN_WIDTH) scale += 0.01;
      var canvas = document.createElement("canvas");
      canvas.width = Math.ceil(width * scale);
      canvas.height = Math.ceil(height * scale);
      var image = new Image();
      var url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
      image.onload = function () {
        var context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("no PNG")); }, "image/png");
      };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not drawn")); };
      image.src = url;
    });
  }

  function setUp() {
    document.querySelectorAll("a.sb-png[data-png]").forEach(function (link) {
      if (link.sbReady) return;
      link.sbReady = true;
      var note = link.parentNode.querySelector(".sb-png__note");
      if (note && note.getAttribute("data-with-script")) note.textContent = "(" + note.getAttribute("data-with-script") + ")";
      link.addEventListener("click", function (event) {
        event.preventDefault();
        link.setAttribute("aria-busy", "true");
        fetch(link.href)
          .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
          .then(pngOf)
          .then(function (blob) { save(blob, link.getAttribute("data-png")); })
          .catch(function () {
            if (note) note.textContent = "(" + link.getAttribute("data-png-failed") + ")";
            var svg = document.createElement("a");
            svg.href = link.href;
            svg.download = link.getAttribute("download") || "";
            document.body.appendChild(svg);
            svg.click();
            svg.remove();
          })
          .then(function () { link.removeAttribute("aria-busy"); });
      });
    });
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
