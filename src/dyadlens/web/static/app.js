// dyadlens: small page behaviours shared by every page (no dependencies).
(function () {
  "use strict";

  // Mark the element named by the URL fragment (an event row, a sentence) as active
  // and bring it into view, also when the fragment changes after a chart click.
  function markTarget() {
    document.querySelectorAll(".active-target").forEach(function (el) {
      el.classList.remove("active-target", "active");
    });
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    var row = el.closest("tr") || el;
    row.classList.add("active-target", "active");
    var next = el.classList.contains("anchor") ? el.nextElementSibling : row;
    (next || row).scrollIntoView({ block: "center" });
  }

  window.addEventListener("hashchange", markTarget);
  document.addEventListener("DOMContentLoaded", markTarget);
})();
