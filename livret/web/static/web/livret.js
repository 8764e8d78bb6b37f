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
    // data-filter-groups="CSS selector": groups (<details>) of those items open while a search
    // finds something in them, and step aside when it finds nothing.
    var groups = el.getAttribute("data-filter-groups");
    if (!groups) return;
    document.querySelectorAll(groups).forEach(function (group) {
      var items = group.querySelectorAll(el.getAttribute("data-filter")), found = false;
      for (var i = 0; i < items.length; i++) if (!items[i].hidden) { found = true; break; }
      group.hidden = query !== "" && !found;
      if (query !== "" && found) group.open = true;
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

// The trainer's grid at keyboard speed.
(function () {
  "use strict";
  var lastCell = null;
  function cellButton(td) { return td && td.querySelector(".cell-btn"); }
  // Arrow keys move between the cells of the grid (like a spreadsheet).
  document.addEventListener("keydown", function (event) {
    var button = event.target;
    if (!button.classList || !button.classList.contains("cell-btn")) return;
    var td = button.closest("td"), tr = td.parentElement;
    var index = Array.prototype.indexOf.call(tr.children, td), target = null;
    if (event.key === "ArrowRight") target = td.nextElementSibling;
    else if (event.key === "ArrowLeft") target = td.previousElementSibling;
    else if (event.key === "ArrowDown" && tr.nextElementSibling) target = tr.nextElementSibling.children[index];
    else if (event.key === "ArrowUp" && tr.previousElementSibling) target = tr.previousElementSibling.children[index];
    else return;
    var next = cellButton(target);
    if (next) { event.preventDefault(); next.focus(); }
  });
  // Remember which cell was opened, to give it the focus back once it is saved or closed.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".cell-btn");
    if (button) lastCell = button.closest("td").id;
  });
  function refocus() {
    if (!lastCell) return;
    var button = cellButton(document.getElementById(lastCell));
    if (button) button.focus();
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    // A saved cell comes back out of band: focus it, not <body>.
    if (document.querySelector("#panel .alert-success")) refocus();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-clear='panel']")) setTimeout(refocus, 0);
  });
  // One keystroke per cell: the letter a cell shows (cells.LETTERS) records that level, dated
  // today, in course, through the panel's own form address; the panel says what was saved.
  var LEVELS = { a: "acquired", e: "in_progress", n: "not_acquired" };
  function today() {
    var d = new Date(), m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (day < 10 ? "0" : "") + day;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !event.key) return;
    var level = LEVELS[event.key.toLowerCase()];
    var el = event.target;
    if (!level || !el.classList) return;
    if (el.classList.contains("cell-btn") && window.htmx) {
      event.preventDefault();
      lastCell = el.closest("td").id;
      window.htmx.ajax("POST", el.getAttribute("hx-get"), {
        source: el,
        target: "#panel",
        values: { level: level, observed_on: today(), context: "course", target: "cell" }
      });
    } else if (el.name === "level" && el.type === "radio" && el.form) {
      // In the open form the same letters choose the level (Enter then saves).
      var radio = el.form.querySelector("input[name=level][value=" + level + "]");
      if (radio) { event.preventDefault(); radio.checked = true; radio.focus(); }
    }
  });
  // Escape closes the panel and gives the focus back to its cell.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var panel = document.getElementById("panel");
    if (!panel || !panel.innerHTML.trim() || !document.querySelector("table.grid")) return;
    event.preventDefault();
    panel.innerHTML = "";
    refocus();
  });
  // A whole column: say how many learners it touches and ask first (evaluations are never
  // deleted: undoing means one correction per learner).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm-column")) return;
    var count = form.querySelectorAll("input[name=learners]:checked").length;
    var level = form.querySelector("[name=level]");
    var label = level ? level.options[level.selectedIndex].text : "";
    var question = "Enregistrer « " + label + " » pour " + count + " apprenant" + (count > 1 ? "s" : "") +
      " ? Une évaluation ne s'efface pas : l'annuler demanderait " + count + " correction" + (count > 1 ? "s" : "") + ".";
    if (!window.confirm(question)) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);
})();

// On a phone, long pages open folded (the livret by bloc, with each bloc's progress in view).
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 767.98px)").matches) return;
  // A group holding a ticked box or an error stays open: what was chosen stays in view.
  document.querySelectorAll("details[data-fold]").forEach(function (d) {
    if (!d.querySelector("input:checked, [aria-invalid=true]")) d.open = false;
  });
})();

// The session's grade grid: paste a column copied from a spreadsheet, move with up/down.
(function () {
  "use strict";
  function column(input) {
    var td = input.closest("td"), index = Array.prototype.indexOf.call(td.parentElement.children, td);
    var rows = input.closest("tbody").children, out = [];
    for (var i = 0; i < rows.length; i++) {
      var cell = rows[i].children[index], field = cell && cell.querySelector("[data-grade-cell]");
      out.push(field);
    }
    return out;
  }
  document.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-grade-cell")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    var lines = text.replace(/\r/g, "").split("\n");
    if (lines.length && lines[lines.length - 1] === "") lines.pop();
    if (lines.length < 2) return;
    event.preventDefault();
    var cells = column(input), start = cells.indexOf(input), k = 0;
    for (var i = start; i < cells.length && k < lines.length; i++) {
      if (cells[i]) { cells[i].value = lines[k].split("\t")[0].trim(); k++; }
    }
  });
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-grade-cell")) return;
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Enter") return;
    var cells = column(input), i = cells.indexOf(input), step = event.key === "ArrowUp" ? -1 : 1;
    for (var j = i + step; j >= 0 && j < cells.length; j += step) {
      if (cells[j]) { event.preventDefault(); cells[j].focus(); cells[j].select(); return; }
    }
  });
})();

// A background job's page: poll its state, move the bar, reload once it has finished.
(function () {
  var box = document.querySelector("[data-job-state]");
  if (!box || !box.querySelector("progress")) return;
  var bar = box.querySelector("progress"), text = box.querySelector("[data-job-text]");
  var label = box.querySelector("[data-job-label]");
  function tick() {
    fetch(box.getAttribute("data-job-state"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.finished) { window.location.reload(); return; }
        label.textContent = s.label;
        if (s.percent !== null) { bar.value = s.percent; bar.textContent = s.percent + " %"; }
        if (s.total) text.textContent = s.done + " sur " + s.total;
        window.setTimeout(tick, 700);
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 500);
})();
