// Keeps a campaign's figures current without a reload; the page works without it.
(function () {
  var box = document.getElementById("progress");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-url");
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        // Signed out (a redirect to the sign-in page) or an error: stop, and say to refresh.
        var json = r.ok && (r.headers.get("Content-Type") || "").indexOf("json") >= 0;
        return json ? r.json() : null;
      })
      .then(function (p) {
        if (!p) {
          box.querySelector("[data-done]").textContent = "Refresh the page to see the latest figures.";
          return;
        }
        box.querySelectorAll("[data-count]").forEach(function (el) {
          var k = el.getAttribute("data-count");
          if (k in p) el.textContent = String(p[k]);
        });
        var state = box.querySelector("[data-done]");
        if (p.done) {
          state.setAttribute("data-done", "yes");
          state.textContent = "Finished.";
        } else {
          setTimeout(tick, 2000);
        }
      })
      .catch(function () { setTimeout(tick, 5000); });
  }
  if (box.querySelector("[data-done]").getAttribute("data-done") !== "yes") setTimeout(tick, 1000);
})();
