// Renews the signing code shown in the room every few seconds (it changes each minute).
(function () {
  var el = document.getElementById("code");
  if (!el) return;
  setInterval(function () {
    fetch(el.dataset.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && d.code) el.textContent = d.code; });
  }, 5000);
})();
