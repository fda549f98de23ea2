// Suggestions as you type in a search box (/search, the home page): the best hits from /api/suggest,
// each a link to its page. Progressive enhancement: without this script the form searches the same.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "nl";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-suggest"));
    if (!list || !window.fetch) return;
    var timer = null;
    var asked = "";
    var typedAt = 0; // when the box was last typed in
    var elsewhereAt = 0; // when another control of the form was last used
    input.setAttribute("aria-controls", list.id);
    input.addEventListener("input", function () {
      typedAt = Date.now();
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 150);
    });
    // another field of the form changed, or a click outside box and list: no suggestions until typed again
    if (input.form) {
      input.form.addEventListener("change", function (event) {
        if (event.target !== input) { elsewhereAt = Date.now(); clear(); }
      });
    }
    document.addEventListener("pointerdown", function (event) {
      if (event.target !== input && !list.contains(event.target)) { elsewhereAt = Date.now(); clear(); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && list.firstElementChild) {
        event.preventDefault();
        list.querySelector("a").focus();
      } else if (event.key === "Escape") {
        clear();
      }
    });
    // gone when the focus leaves the box and its list (another field, the button)
    [input, list].forEach(function (part) {
      part.addEventListener("focusout", function (event) {
        if (!event.relatedTarget || (event.relatedTarget !== input && !list.contains(event.relatedTarget))) clear();
      });
    });
    list.addEventListener("keydown", function (event) {
      var item = document.activeElement.closest("li");
      if (!item) return;
      if (event.key === "ArrowDown" && item.nextElementSibling) {
        event.preventDefault();
        item.nextElementSibling.querySelector("a").focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (item.previousElementSibling ? item.previousElementSibling.querySelector("a") : input).focus();
      } else if (event.key === "Escape") {
        clear();
        input.focus();
      }
    });
    function clear() {
      list.replaceChildren();
      list.hidden = true;
    }
    function suggest() {
      var text = input.value.trim();
      if (text === asked) return;
      asked = text;
      if (text.length < 2) { clear(); return; }
      var url = "/api/suggest?limit=8&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (hits) {
          // an older answer, or the visitor has gone on to something else
          if (text !== asked || document.activeElement !== input || elsewhereAt >= typedAt) return;
          list.replaceChildren();
          hits.forEach(function (hit) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            var base = list.getAttribute("data-base") || "";
            var local = base && hit.iri.indexOf(base) === 0;
            var kept = document.querySelector("input[name=lang][type=hidden]") ? "?lang=" + lang : "";
            link.href = local ? "/id/" + hit.iri.slice(base.length) + kept : hit.iri;
            link.textContent = hit.label;
            var kind = document.createElement("span");
            kind.className = "kind-label";
            kind.textContent = " · " + (list.getAttribute("data-kind-" + hit.kind) || hit.kind);
            item.appendChild(link);
            item.appendChild(kind);
            list.appendChild(item);
          });
          list.hidden = hits.length === 0;
        })
        .catch(clear);
    }
  });
})();
