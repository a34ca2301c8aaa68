// Vigil dashboard: action buttons and live refresh. No framework, no build step.
// Pages are rendered (and escaped) by the daemon; this script only posts actions with the
// CSRF header and swaps in the freshly rendered <main> every few seconds.
(function () {
  "use strict";
  var REFRESH_MS = 5000;
  var csrf = (document.querySelector('meta[name="vigil-csrf"]') || {}).content || "";
  var live = document.getElementById("live");
  var busy = false;

  function toast(text, bad) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = text;
    box.className = bad ? "show bad" : "show";
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.className = ""; }, 4000);
  }

  function refresh() {
    if (busy || document.hidden) return Promise.resolve();
    busy = true;
    return fetch(location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok && response.status !== 404) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("main");
        var main = document.getElementById("main");
        if (fresh && main) main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes));
        if (live) { live.className = "live"; live.textContent = "live"; }
      })
      .catch(function () {
        if (live) { live.className = "live off"; live.textContent = "offline"; }
      })
      .then(function () { busy = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-post]");
    if (!button) return;
    var question = button.getAttribute("data-confirm");
    if (question && !confirm(question)) return;
    button.disabled = true;
    fetch(button.getAttribute("data-post"), {
      method: "POST",
      headers: { "X-Vigil-Csrf": csrf },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
          return body;
        });
      })
      .then(function (body) {
        toast(button.textContent + ": done" + (body.id ? " (run #" + body.id + ")" : ""), false);
        busy = false;
        return refresh();
      })
      .catch(function (error) { toast(error.message, true); })
      .then(function () { button.disabled = false; });
  });

  setInterval(refresh, REFRESH_MS);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
})();
