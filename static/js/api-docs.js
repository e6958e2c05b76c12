"use strict";
// Kept out of the page so the Content-Security-Policy needs no inline script.
const target = document.getElementById("swagger");
window.SwaggerUIBundle({ url: target.dataset.spec, dom_id: "#swagger" });
