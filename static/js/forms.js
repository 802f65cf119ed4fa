// Error summaries (templates/forms/_error_summary.html): the summary takes focus when the
// page opens, so keyboard and screen reader users hear first what went wrong. A link in it
// focuses its field, not only scrolls to it, with the field's label or legend in view.
(function () {
  "use strict";

  function labelOf(field) {
    if (field.type === "radio" || field.type === "checkbox") {
      const legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      if (legend) {
        return legend;
      }
    }
    return document.querySelector('label[for="' + CSS.escape(field.id) + '"]') || field;
  }

  function followLink(event) {
    const link = event.target.closest('a[href^="#"]');
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field || !field.matches("input, select, textarea")) {
      return; // a link to a row or a section: the browser's own jump is right
    }
    event.preventDefault();
    labelOf(field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  }

  function start() {
    const summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.addEventListener("click", followLink);
    summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
