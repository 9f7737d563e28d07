/* Typeset the TeX of every .arithmatex element with KaTeX (vendored under assets/katex/, no
   network), once the page is parsed (loaded with defer). KaTeX is fetched only by
   pages that hold math. Only these elements are typeset: a dollar sign elsewhere stays text. */
(function () {
  var base = document.currentScript.src.replace(/javascripts\/math\.js(\?.*)?$/, "katex/");
  var loading = null;
  /* Deeper or longer TeX stays plain text: about 150 nested \sqrt{ crash chromium's renderer.
     The same limits as MAX_TEX_LENGTH and MAX_TEX_DEPTH in arxiv_digest/site/escape.py, which
     keeps such TeX out of the math spans of pages made from arXiv's text; here they also cover
     math from hand-written Markdown. A test keeps the numbers equal. */
  var MAX_TEX_LENGTH = 1000;
  var MAX_TEX_DEPTH = 20;
  /* Sizes (\rule, \kern...) capped at 10 em, macro expansion at 100 steps, no \href or \html*. */
  var OPTIONS = { throwOnError: false, strict: "ignore", trust: false, maxSize: 10, maxExpand: 100 };
  var TOKEN = /\\(left|right|begin|end)(?![A-Za-z])|\\[\s\S]|[{}]/g;

  function withinLimits(tex) {
    if (tex.length > MAX_TEX_LENGTH) return false;
    var depth = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(tex)) !== null) {
      var token = match[1] || match[0];
      if (token === "{" || token === "left" || token === "begin") {
        if (++depth > MAX_TEX_DEPTH) return false;
      } else if (token === "}" || token === "right" || token === "end") {
        depth = Math.max(depth - 1, 0);
      }
    }
    return true;
  }

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
      if (!withinLimits(tex)) {
        el.dataset.typeset = "skipped";  /* the TeX source stays visible */
        return;
      }
      try {
        katex.render(tex, el, Object.assign({ displayMode: display }, OPTIONS));
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
