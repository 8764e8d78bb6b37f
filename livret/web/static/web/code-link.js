// An e-mailed link (a questionnaire's, an address to confirm) carries its code after the « # »,
// never sent to the server: put it in the form, take it out of the address bar and the history,
// and post it — on opening, and when a link is followed from this very page (only the « # »
// part changes: no new load).
(function () {
  "use strict";
  function post() {
    var field = document.getElementById("id_code");
    var code = window.location.hash.slice(1);
    if (!field || !code) return;
    window.history.replaceState(null, "", window.location.pathname);
    field.value = decodeURIComponent(code);
    field.form.submit();
  }
  window.addEventListener("hashchange", post);
  post();
})();
