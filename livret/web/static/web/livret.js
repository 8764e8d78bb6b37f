// Small behaviours of the pages, kept out of the HTML so that the Content-Security-Policy can
// forbid every inline script. Each one is opted into with a data- attribute.
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (filters, version pickers).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  // <input data-filter="CSS selector">: hides the matching elements whose text does not contain
  // what is typed (accents and case ignored).
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("[data-filter]")) return;
    var query = fold(el.value.trim());
    document.querySelectorAll(el.getAttribute("data-filter")).forEach(function (item) {
      item.hidden = query !== "" && fold(item.textContent).indexOf(query) === -1;
    });
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm], [data-clear]");
    if (!el) return;
    // data-confirm="question": asks before an action that cannot be undone.
    if (el.hasAttribute("data-confirm") && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    // data-clear="element id": empties a panel (closing an inline form).
    if (el.hasAttribute("data-clear")) {
      var target = document.getElementById(el.getAttribute("data-clear"));
      if (target) target.innerHTML = "";
    }
  }, true);
})();
