// Starts Swagger UI on /docs over the service's OpenAPI description (a file, so that the site's
// Content-Security-Policy, which allows no inline script, holds here too), and names what Swagger UI
// leaves unnamed as it renders (copy buttons, enum selects, scrolling code blocks), in the page's
// language, so that the page passes axe as every other page does.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!window.SwaggerUIBundle || !root) return;
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    // no link to itself inside each operation's summary button (a link in a button: nested controls)
    deepLinking: false,
    // answers as plain text: the highlighter's colours fall below 4.5:1 on its dark background
    syntaxHighlight: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    // no title block of its own: the page's heading and intro say the same (one h1 per page)
    plugins: [function () { return { components: { InfoContainer: function () { return null; } } }; }],
    layout: "BaseLayout",
  });

  function name(scope) {
    scope.querySelectorAll(".copy-to-clipboard button:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", root.dataset.copy);
    });
    scope.querySelectorAll("select:not([aria-label])").forEach(function (select) {
      var row = select.closest("tr[data-param-name]");
      if (row) select.setAttribute("aria-label", root.dataset.value + " " + row.dataset.paramName);
    });
    scope.querySelectorAll("pre:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
      pre.setAttribute("role", "region");
      pre.setAttribute("aria-label", root.dataset.body);
    });
  }
  new MutationObserver(function () { name(root); }).observe(root, { childList: true, subtree: true });
});
