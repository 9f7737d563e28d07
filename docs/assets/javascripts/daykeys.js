// Day pages and the home page: j / k move to the next / previous paper, o opens its arXiv page.
// The listener is bound once and finds the papers when a key is pressed.
(function () {
  if (window.__digestKeys) return;
  window.__digestKeys = true;

  // A paper entry is a heading (h2 on a day page, h3 under the day's h2 on the home page)
  // followed by its authors line (render.entry_html).
  function entries() {
    return Array.from(document.querySelectorAll("article h2, article h3")).filter(function (h) {
      var next = h.nextElementSibling;
      return next && next.classList.contains("digest-meta") && h.querySelector("a");
    });
  }

  function current(list) {
    var active = document.activeElement;
    for (var i = 0; i < list.length; i++) {
      if (list[i].contains(active)) return i;
    }
    return -1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    // Typing in the search box (or any field) is not navigation.
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var key = event.key;
    if (key !== "j" && key !== "k" && key !== "o") return;
    var list = entries();
    if (!list.length) return;
    var at = current(list);
    if (key === "o") {
      if (at < 0) return;
      // The meta line under the heading: authors (text), then the arXiv link first.
      var abs = list[at].nextElementSibling.querySelector("a");
      if (abs) window.open(abs.href, "_blank", "noopener");
    } else {
      var to = key === "j" ? Math.min(at + 1, list.length - 1) : Math.max(at - 1, 0);
      var link = list[to].querySelector("a");
      link.focus({ preventScroll: true });
      list[to].scrollIntoView({ block: "start" });
    }
    event.preventDefault();
  });
})();
