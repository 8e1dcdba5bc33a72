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
  // a table that scrolls sideways (narrow screens, large font steps) takes keyboard focus, so it can be
  // scrolled with the arrow keys (WCAG 2.1.1); one that fits is left out of the tab order
  function scrollableTables() {
    document.querySelectorAll("main table.table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && table.hasAttribute("data-scroll-focus")) {
        table.removeAttribute("tabindex");
        table.removeAttribute("data-scroll-focus");
      }
    });
  }
  var pending = null;
  function later() {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(scrollableTables, 100);
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
    scrollableTables();
  });
  scrollableTables();  // deferred script: the document is parsed
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", scrollableTables);
  document.addEventListener("change", function (ev) {
    if (ev.target.matches("[data-autosubmit]")) { ev.target.form.requestSubmit(); }
  });
})();
