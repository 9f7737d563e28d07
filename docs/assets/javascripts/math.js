/* Render the TeX of every .arithmatex element with KaTeX (vendored, no network), on every page
   load including Material's instant navigation. Only these elements are rendered: a dollar sign
   elsewhere in a title or abstract stays text. */
(function () {
  function render(root) {
    if (typeof katex === "undefined") return;
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.rendered) return;
      var tex = el.textContent.trim();
      var display = tex.startsWith("\\[");
      if (tex.startsWith("\\(") || display) tex = tex.slice(2, -2);
      try {
        katex.render(tex, el, { displayMode: display, throwOnError: false, trust: false });
        el.dataset.rendered = "1";
      } catch (err) {
        /* Leave the TeX source visible. */
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { render(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { render(document.body); });
  }
})();
