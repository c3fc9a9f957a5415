// Shows the "Print" button only where scripts run; printing works from the browser menu anyway.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
