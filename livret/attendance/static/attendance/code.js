// Renews the signing code and its QR code shown in the room every few seconds (they change each
// minute). The QR is the server's own SVG (segno), put in as markup.
(function () {
  var el = document.getElementById("code");
  if (!el) return;
  setInterval(function () {
    fetch(el.dataset.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d || !d.code) return;
        el.textContent = d.code;
        var qr = document.getElementById("qr");
        if (qr && d.qr) qr.innerHTML = d.qr;
      });
  }, 5000);
})();
