/* Starts Swagger UI on /api/v1/docs from the page's data attribute: no inline script, so the
   page runs under a Content-Security-Policy of script-src 'self'. */
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  var config = JSON.parse(root.dataset.settings);
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  window.ui = window.SwaggerUIBundle(config);
})();
