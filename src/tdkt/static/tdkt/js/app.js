// Font-size control (kept per browser) and small behaviours; no inline scripts (CSP).
(function () {
  "use strict";
  var KEY = "tdkt-font-step", STEPS = [87.5, 100, 112.5, 125, 150];
  function apply(step) {
    var root = document.documentElement;
    root.style.fontSize = STEPS[step] + "%";
    // from 125 % the header's menu no longer fits beside the brand and tools: give it a row of its own
    root.classList.toggle("font-large", STEPS[step] >= 125);
  }
  var saved = parseInt(localStorage.getItem(KEY) || "1", 10);
  if (isNaN(saved) || saved < 0 || saved >= STEPS.length) { saved = 1; }
  apply(saved);
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-font-step]");
    if (!btn) { return; }
    var delta = parseInt(btn.getAttribute("data-font-step"), 10);
    var step = delta === 0 ? 1 : Math.min(STEPS.length - 1, Math.max(0, saved + delta));
    saved = step;
    localStorage.setItem(KEY, String(step));
    apply(step);
  });
  document.addEventListener("change", function (ev) {
    if (ev.target.matches("[data-autosubmit]")) { ev.target.form.requestSubmit(); }
  });
})();
