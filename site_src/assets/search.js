// Search dialog over Pagefind's index (issues 11 and 13). The index is fetched only when a
// reader searches, in the pieces the query needs, from this site (no other host); Pagefind
// picks the index of the page's <html lang>. Keyboard: the header button opens the dialog
// with focus in the field; Down/Up move through the results; Escape in the results returns
// to the field, Escape in the field closes the dialog and returns focus to the button.
(function () {
  "use strict";
  var dialog = document.getElementById("sb-search");
  var opener = document.querySelector(".sb-search-open");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;
  var input = dialog.querySelector(".sb-search__input");
  var status = dialog.querySelector(".sb-search__status");
  var list = dialog.querySelector(".sb-search__results");
  var root = new URL(dialog.dataset.root, document.baseURI);
  var engine = null;
  var latest = 0;
  var hint = status.textContent;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: root.pathname }).then(function () {
          return pagefind;
        });
      });
      engine.catch(function () {
        engine = null;
      });
    }
    return engine;
  }

  // Pagefind folds tone marks ("dien" finds "diễn") but keeps "đ" apart from "d"; readers
  // type "d" for both: each word with a "d" is also searched with "đ" (at most 8 variants).
  function variants(query) {
    var out = [""];
    query.split(/\s+/).forEach(function (word) {
      var alternatives = /d/i.test(word) ? [word, word.replace(/d/g, "đ").replace(/D/g, "Đ")] : [word];
      var next = [];
      out.forEach(function (before) {
        alternatives.forEach(function (alternative) {
          next.push(before ? before + " " + alternative : alternative);
        });
      });
      out = next.slice(0, 8);
    });
    return out;
  }

  // The results of every variant, each page once at its best score, best first.
  function searchAll(pagefind, query) {
    return Promise.all(
      variants(query).map(function (variant) {
        return pagefind.search(variant);
      }),
    ).then(function (searches) {
      var best = {};
      searches.forEach(function (found) {
        found.results.forEach(function (r) {
          if (!best[r.id] || best[r.id].score < r.score) best[r.id] = r;
        });
      });
      return Object.keys(best)
        .map(function (id) {
          return best[id];
        })
        .sort(function (a, b) {
          return b.score - a.score;
        });
    });
  }

  function count(n) {
    if (n === 0) return dialog.dataset.none;
    return (n === 1 ? dialog.dataset.one : dialog.dataset.other).replace("#", n.toLocaleString(document.documentElement.lang));
  }

  // Pagefind's excerpt is escaped text with <mark> around the matched words: keep only those.
  function excerpt(html) {
    var source = document.createElement("template");
    source.innerHTML = html;
    var out = document.createElement("p");
    source.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function show(results) {
    list.textContent = "";
    results.forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = r.url;
      link.textContent = (r.meta && r.meta.title) || r.url;
      item.appendChild(link);
      item.appendChild(excerpt(r.excerpt || ""));
      list.appendChild(item);
    });
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      list.textContent = "";
      status.textContent = hint;
      return;
    }
    status.textContent = dialog.dataset.loading;
    load()
      .then(function (pagefind) {
        return searchAll(pagefind, query);
      })
      .then(function (results) {
        return Promise.all(
          results.slice(0, 10).map(function (r) {
            return r.data();
          }),
        ).then(function (data) {
          if (ticket !== latest) return;
          show(data);
          status.textContent = count(results.length);
        });
      })
      .catch(function () {
        if (ticket === latest) status.textContent = dialog.dataset.failed;
      });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function close() {
    dialog.close();
  }

  opener.addEventListener("click", function () {
    dialog.showModal();
    input.focus();
    input.select();
    load(); // start fetching the (small) entry file while the reader types
  });
  dialog.addEventListener("close", function () {
    opener.focus();
  });
  dialog.querySelector(".sb-search__close").addEventListener("click", close);
  dialog.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.focus();
  });
  input.addEventListener("input", search);
  // a click on the backdrop (outside the dialog's box) closes it
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      var box = dialog.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) close();
    }
  });
  dialog.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault(); // the dialog's own cancel would close it from anywhere
      if (document.activeElement === input) close();
      else input.focus();
    } else if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus();
      else all[at - 1].focus();
    }
  });
})();
