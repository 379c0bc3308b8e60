// Search dialog over Pagefind's index (issues 11, 13 and 27). Nothing is fetched until a reader
// opens the dialog; then Pagefind's script, its engine and this language's index metadata (on
// the main thread: no separate worker script to download). A search starts once the reader
// pauses typing (or presses Enter), fetches only the index pieces its words need, and the page
// pieces ("fragments") of the results shown: a few at a time, more on demand. Pagefind picks the
// index of the page's <html lang>; every file comes from this site.
// Keyboard: the header button opens the dialog with focus in the field; Down/Up move through the
// results; Escape in the results returns to the field, Escape in the field closes the dialog and
// returns focus to the button.
(function () {
  "use strict";
  var PAUSE = 350; // ms without typing before a search starts
  var BATCH = 5; // results shown at a time (each needs its own fragment)
  var dialog = document.getElementById("sb-search");
  var opener = document.querySelector(".sb-search-open");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;
  var input = dialog.querySelector(".sb-search__input");
  var status = dialog.querySelector(".sb-search__status");
  var list = dialog.querySelector(".sb-search__results");
  var more = dialog.querySelector(".sb-search__more");
  var root = new URL(dialog.dataset.root, document.baseURI);
  var letters = JSON.parse(dialog.dataset.letters || "{}");
  var words = JSON.parse(dialog.dataset.words || "{}");
  var engine = null;
  var latest = 0; // the newest search; older ones drop their answers
  var timer = null;
  var searched = null; // the query of the results on screen
  var found = []; // every result of that query, best first
  var hint = status.textContent;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: root.pathname, noWorker: true }).then(function () {
          return pagefind;
        });
      });
      engine.catch(function () {
        engine = null;
      });
    }
    return engine;
  }

  // Folded for comparison: no tone marks, "đ" as "d", lower case, punctuation as spaces.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // What else a reader's words may be written as on the pages: letters (Pagefind folds tone
  // marks, "dien" finds "diễn", but keeps "đ" apart from "d", and readers type "d" for both)
  // and whole words (American spellings of the pages' British ones), from the language's
  // settings (extra.search in mkdocs.yml / mkdocs.en.yml). At most 8 queries in all.
  function alternatives(word) {
    word = word.toLowerCase();
    var out = [word];
    var spelt = words[word];
    if (spelt) out.push(spelt);
    Object.keys(letters).forEach(function (letter) {
      out.slice().forEach(function (w) {
        if (w.indexOf(letter) !== -1) out.push(w.split(letter).join(letters[letter]));
      });
    });
    return out;
  }

  function variants(query) {
    var out = [""];
    query.split(/\s+/).forEach(function (word) {
      var next = [];
      out.forEach(function (before) {
        alternatives(word).forEach(function (alternative) {
          next.push(before ? before + " " + alternative : alternative);
        });
      });
      out = next.slice(0, 8);
    });
    return out;
  }

  // Pages whose first words (the title: the article starts with its h1) are the query's words
  // come first: "Ha Giang" before a page that only mentions it. Pagefind gives each result the
  // positions of the words it matched, so this needs no page piece.
  function startsWithQuery(result, n) {
    for (var i = 0; i < n; i++) if (result.words.indexOf(i) === -1) return false;
    return true;
  }

  // The results of every variant, each page once at its best, best first.
  function searchAll(pagefind, query) {
    var n = query.split(/\s+/).length;
    return Promise.all(
      variants(query).map(function (variant) {
        return pagefind.search(variant);
      }),
    ).then(function (searches) {
      var best = {};
      searches.forEach(function (answer) {
        answer.results.forEach(function (r) {
          var first = startsWithQuery(r, n);
          if (!best[r.id] || best[r.id].first < first || (best[r.id].first === first && best[r.id].score < r.score)) {
            best[r.id] = { id: r.id, score: r.score, first: first, data: r.data };
          }
        });
      });
      return Object.keys(best)
        .map(function (id) {
          return best[id];
        })
        .sort(function (a, b) {
          return b.first - a.first || b.score - a.score;
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

  function title(data) {
    return (data.meta && data.meta.title) || data.url;
  }

  // The next few results: their page pieces are fetched now, not before. Within the first
  // batch a page whose title is the query ("Hà Giang", or "An Giang (from 1 July 2025)" for
  // "an giang") comes first.
  function showMore(ticket, query) {
    var start = list.children.length;
    var batch = found.slice(start, start + BATCH);
    return Promise.all(
      batch.map(function (r) {
        return r.data();
      }),
    ).then(function (pages) {
      if (ticket !== latest) return null;
      if (start === 0) {
        var wanted = fold(query);
        var named = function (page) {
          var name = fold(title(page));
          return name === wanted || fold(title(page).replace(/\(.*\)/g, "")) === wanted;
        };
        pages = pages.filter(named).concat(pages.filter(function (page) { return !named(page); }));
      }
      var links = pages.map(function (page) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = page.url;
        link.textContent = title(page);
        item.appendChild(link);
        item.appendChild(excerpt(page.excerpt || ""));
        list.appendChild(item);
        return link;
      });
      more.hidden = list.children.length >= found.length;
      return links[0] || null;
    });
  }

  function search(focusFirst) {
    clearTimeout(timer);
    timer = null;
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      searched = null;
      found = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = hint;
      return;
    }
    if (query === searched) {
      if (focusFirst && list.querySelector("a")) list.querySelector("a").focus();
      return;
    }
    status.textContent = dialog.dataset.loading;
    load()
      .then(function (pagefind) {
        return searchAll(pagefind, query);
      })
      .then(function (results) {
        if (ticket !== latest) return null;
        searched = query;
        found = results;
        list.textContent = "";
        more.hidden = true;
        return showMore(ticket, query).then(function (first) {
          if (ticket !== latest) return;
          status.textContent = count(results.length);
          if (focusFirst && first) first.focus();
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
    // The engine and this language's index metadata, which any search needs, arrive while the
    // reader types.
    load().then(function (pagefind) {
      return pagefind.init();
    }).catch(function () {});
  });
  dialog.addEventListener("close", function () {
    opener.focus();
  });
  dialog.querySelector(".sb-search__close").addEventListener("click", close);
  dialog.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(true);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    if (!input.value.trim()) search(false);
    else timer = setTimeout(search, PAUSE, false);
  });
  more.addEventListener("click", function () {
    var ticket = latest;
    showMore(ticket, searched).then(function (first) {
      if (first) first.focus();
    });
  });
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
