// Labels that Django's admin leaves out (WCAG 1.3.1, 4.1.2). Loaded on every admin page
// from templates/admin/base_site.html; no inline script (the Content-Security-Policy).
//
// - The search boxes that autocomplete fields (Select2) build in the browser: Select2
//   names its box after the chosen value only, so an empty "Valt onder" or "Vervangt" box
//   has no name for a screen reader and its search field no label at all. Each part is
//   named by the field's own <label>.
// - A date and time field (last login) is a fieldset whose two inputs follow the plain
//   texts "Datum:" and "Tijd:"; each input is named by the legend and its text.
// - The group picker's filter icon carries an aria-label, which needs a role.
(function () {
  "use strict";

  document.querySelectorAll("p.datetime input").forEach(function (input) {
    const text = input.previousSibling && input.previousSibling.textContent.trim();
    const legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    if (text && !input.labels.length) {
      input.setAttribute("aria-label", (legend ? legend.textContent.trim() + " " : "") + text.replace(/:$/, ""));
    }
  });
  // The filter icons are created when the page is ready, by SelectFilter2.
  window.addEventListener("load", function () {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  });

  function labelId(select) {
    const label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = select.id + "_label";
    }
    return label.id;
  }

  function nameSelect2(select) {
    const id = labelId(select);
    const container = select.nextElementSibling;
    if (!id || !container || !container.classList.contains("select2-container")) {
      return;
    }
    const rendered = container.querySelector(".select2-selection__rendered");
    const selection = container.querySelector(".select2-selection");
    if (selection) {
      // The label first, then the chosen value(s), as a screen reader should say them.
      selection.setAttribute("aria-labelledby", rendered && rendered.id ? id + " " + rendered.id : id);
    }
    if (rendered && rendered.getAttribute("role") === "textbox") {
      rendered.setAttribute("aria-labelledby", id + " " + rendered.id);
    }
    const search = container.querySelector(".select2-search__field");
    if (search) {
      search.setAttribute("aria-labelledby", id);
    }
  }

  function nameAll(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      if (!select.name.includes("__prefix__")) {
        nameSelect2(select);
      }
    });
  }

  // Pages without autocomplete fields load no jQuery: nothing to do there.
  if (!window.django || !window.django.jQuery) {
    return;
  }
  const $ = window.django.jQuery;
  // Django's autocomplete.js starts Select2 in a jQuery ready handler that it registered
  // while the page was parsed; ready handlers run in order, so this one runs after it.
  // (Not on "load": jQuery runs ready handlers asynchronously, sometimes after "load".)
  $(function () {
    nameAll(document);
  });
  // A new inline row gets its Select2 boxes from Django's own "formset:added" handler,
  // which was registered before this one and so has run by now.
  document.addEventListener("formset:added", function (event) {
    nameAll(event.target);
  });
  // The search field in an open drop-down belongs to the box that opened it.
  $(document).on("select2:open", function (event) {
    const id = labelId(event.target);
    const search = document.querySelector(".select2-container--open .select2-search__field");
    if (id && search) {
      search.setAttribute("aria-labelledby", id);
    }
  });
})();
