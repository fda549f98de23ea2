/* plgkg SPARQL editor: the query form's <textarea> stays the editor (keyboard, screen readers, forms
   and the page without JavaScript keep working); a highlighted <pre> lies under its transparent text.
   Also: Ctrl/Cmd+Enter runs the query, and the examples' "Load" buttons put a query in the editor.
   No dependencies, served by the app itself. */
(function () {
  "use strict";

  var KEYWORDS = ("BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED ORDER BY ASC DESC LIMIT " +
    "OFFSET DISTINCT REDUCED GROUP HAVING OPTIONAL UNION MINUS GRAPH SERVICE SILENT FILTER BIND VALUES " +
    "AS UNDEF NOT IN EXISTS COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES " +
    "DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI " +
    "CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW " +
    "UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK " +
    "ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRUE FALSE").split(" ");
  var KEYWORD_SET = {};
  KEYWORDS.forEach(function (k) { KEYWORD_SET[k] = true; });

  // One alternation; the first group that matches names the token's kind.
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                            // 1 comment
    "(\"\"\"[\\s\\S]*?(?:\"\"\"|$)|'''[\\s\\S]*?(?:'''|$)" +  // 2 string (long or short)
      "|\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'(?:[^'\\\\\\n]|\\\\.)*'?)",
    "(<[^<>\"{}|^`\\\\\\s]*>)",                              // 3 IRI
    "([?$][A-Za-z0-9_\\u00C0-\\uFFFF]+)",                    // 4 variable
    "(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",                        // 5 language tag
    "((?:[A-Za-z][\\w.-]*)?:[\\w.%-]*)",                     // 6 prefixed name
    "([+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+))",     // 7 number
    "([A-Za-z_][A-Za-z0-9_]*)",                              // 8 word: keyword, 'a' or other
    "(\\^\\^|[{}()\\[\\].,;|/*!=<>&^+-])"                    // 9 punctuation
  ].join("|"), "g");
  var KINDS = [null, "comment", "string", "iri", "variable", "langtag", "pname", "number", "word", "punct"];

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text) {
    var out = "", last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      if (match[0] === "") { TOKEN.lastIndex++; continue; }
      out += escapeHtml(text.slice(last, match.index));
      var kind = null;
      for (var i = 1; i < KINDS.length; i++) { if (match[i] !== undefined) { kind = KINDS[i]; break; } }
      if (kind === "word") {
        if (match[0] === "a") kind = "keyword";
        else kind = KEYWORD_SET[match[0].toUpperCase()] ? "keyword" : null;
      }
      var token = escapeHtml(match[0]);
      out += kind ? '<span class="tok-' + kind + '">' + token + "</span>" : token;
      last = TOKEN.lastIndex;
    }
    out += escapeHtml(text.slice(last));
    // A trailing newline needs something after it, or the <pre> is one line shorter than the textarea.
    return out + (text.slice(-1) === "\n" ? " " : "") + "\n";
  }

  function enhance(wrapper) {
    var textarea = wrapper.querySelector("textarea");
    if (!textarea) return null;
    var pre = document.createElement("pre");
    pre.className = "editor-highlight";
    pre.setAttribute("aria-hidden", "true");
    var code = document.createElement("code");
    pre.appendChild(code);
    wrapper.insertBefore(pre, textarea);
    wrapper.classList.add("enhanced");

    function sync() {
      code.innerHTML = highlight(textarea.value);
      pre.scrollTop = textarea.scrollTop;
      pre.scrollLeft = textarea.scrollLeft;
    }
    textarea.addEventListener("input", sync);
    textarea.addEventListener("scroll", function () {
      pre.scrollTop = textarea.scrollTop;
      pre.scrollLeft = textarea.scrollLeft;
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        pre.style.height = textarea.offsetHeight + "px";
        sync();
      }).observe(textarea);
    }
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && textarea.form) {
        event.preventDefault();
        if (textarea.form.requestSubmit) textarea.form.requestSubmit(); else textarea.form.submit();
      }
    });
    sync();
    return { textarea: textarea, sync: sync };
  }

  function init() {
    var wrapper = document.querySelector("[data-sparql-editor]");
    if (!wrapper) return;
    var editor = enhance(wrapper);
    if (!editor) return;
    var buttons = document.querySelectorAll("[data-load-example]");
    Array.prototype.forEach.call(buttons, function (button) {
      var name = button.getAttribute("data-load-example");
      var template = document.querySelector('template[data-example-query="' + name + '"]');
      if (!template) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        editor.textarea.value = template.content ? template.content.textContent : template.textContent;
        editor.sync();
        editor.textarea.focus();
        editor.textarea.setSelectionRange(0, 0);
        editor.textarea.scrollTop = 0;
        editor.sync();
      });
    });
  }

  window.plgkgHighlight = highlight;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  // The share link follows the query as it is edited (typed or loaded from an example): a GET that
  // runs it, to bookmark or send.
  function shareFollows() {
    var area = document.getElementById("query");
    var share = document.getElementById("query-share");
    if (!area || !share) return;
    var lang = document.querySelector("form input[name=lang][type=hidden]");
    function follow() {
      var text = area.value;
      share.href = "/sparql?query=" + encodeURIComponent(text) +
        (lang ? "&lang=" + encodeURIComponent(lang.value) : "");
      share.parentNode.hidden = text.trim() === "";
    }
    area.addEventListener("input", follow);
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("[data-load-example]")) window.setTimeout(follow, 0);
    });
    follow();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", shareFollows);
  else shareFollows();
})();
