// As the NHS.UK frontend template does: mark the body so components style for JavaScript.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
