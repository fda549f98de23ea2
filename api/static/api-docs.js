// Starts Swagger UI on /docs over the service's OpenAPI description (a file, so that the site's
// Content-Security-Policy, which allows no inline script, holds here too).
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (!window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    // no title block of its own: the page's heading and intro say the same (one h1 per page)
    plugins: [function () { return { components: { InfoContainer: function () { return null; } } }; }],
    layout: "BaseLayout",
  });
});
