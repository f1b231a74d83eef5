// The API's interactive documentation: Swagger UI (drf-spectacular-sidecar, our own static files)
// on the schema the page names. "Try it out" uses the reader's session, with the CSRF token the
// API asks of session writes; a personal token can be given with "Authorize" instead.
const root = document.getElementById("swagger-ui");

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

if (root && window.SwaggerUIBundle) {
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    requestInterceptor: (request) => {
      if (!["GET", "HEAD", "OPTIONS"].includes((request.method || "GET").toUpperCase())) {
        request.headers["X-CSRFToken"] = csrfToken();
      }
      return request;
    },
  });
}
