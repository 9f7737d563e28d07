/* Typeset the TeX of every .arithmatex element with KaTeX (vendored under assets/katex/, no
   network), on each page load including Material's instant navigation. KaTeX is fetched only by
   pages that hold math. Only these elements are typeset: a dollar sign elsewhere stays text. */
(function () {
  var base = document.currentScript.src.replace(/javascripts\/math\.js(\?.*)?$/, "katex/");
  var loading = null;

  function loadKatex() {
    if (typeof katex !== "undefined") return Promise.resolve();
    if (loading) return loading;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "katex.min.css";
    document.head.appendChild(css);
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = base + "katex.min.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  function typeset(elements) {
    elements.forEach(function (el) {
      if (el.dataset.typeset) return;
      var tex = el.textContent.trim();
      var display = tex.startsWith("\\[");
      if (display || tex.startsWith("\\(")) tex = tex.slice(2, -2);
      try {
        katex.render(tex, el, { displayMode: display, throwOnError: false, trust: false });
        el.dataset.typeset = "1";
      } catch (err) {
        /* Leave the TeX source visible. */
      }
    });
  }

  function render() {
    var elements = document.querySelectorAll(".arithmatex");
    if (!elements.length) return;
    loadKatex().then(function () { typeset(elements); });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
