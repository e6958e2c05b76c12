"use strict";
// Kept out of the page so the Content-Security-Policy needs no inline script.
const target = document.getElementById("swagger");
window.SwaggerUIBundle({
  url: target.dataset.spec,
  dom_id: "#swagger",
  // Swagger UI leaves its server picker without a name for screen readers.
  onComplete: () => {
    const servers = document.getElementById("servers");
    if (servers) servers.setAttribute("aria-label", "服务器");
  },
});
