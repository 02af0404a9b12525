// The exercise banner on every admin page while an organisation of the user runs a drill.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-exercise-banner");
  if (!url || !window.fetch) {
    return;
  }
  function show(data) {
    if (!data.on || document.querySelector("[data-exercise-banner-shown]")) {
      return;
    }
    var content = document.querySelector("#main .content") || document.body;
    var banner = document.createElement("div");
    banner.setAttribute("role", "alert");
    banner.setAttribute("data-exercise-banner-shown", "");
    banner.style.cssText =
      "background:#b00000;color:#fff;font-weight:700;padding:.75rem 1.25rem;text-align:center;";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.text;
    link.style.color = "#fff";
    banner.appendChild(link);
    content.insertBefore(banner, content.firstChild);
  }
  function load() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { on: false };
      })
      .then(show)
      .catch(function () {});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
