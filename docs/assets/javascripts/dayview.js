// Day pages: a button switches the papers between the full view (summaries shown) and a
// compact list of titles with their tags; the choice is kept in localStorage for every day
// page. The button is hidden until this script shows it, so without script the page keeps
// the full view. Loaded inside the page's content: instant navigation runs it on each day page.
(function () {
  var KEY = "digest-day-view";
  var button = document.querySelector(".digest-viewtoggle");
  var papers = document.querySelector(".digest-papers");
  if (!button || !papers) return;

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null; // storage refused (private mode, blocked cookies): the full view
    }
  }

  function show(compact) {
    papers.classList.toggle("digest-compact", compact);
    button.setAttribute("aria-pressed", compact ? "true" : "false");
  }

  show(stored() === "compact");
  button.addEventListener("click", function () {
    var compact = button.getAttribute("aria-pressed") !== "true";
    show(compact);
    try {
      window.localStorage.setItem(KEY, compact ? "compact" : "full");
    } catch (error) {
      // not kept: the view still switches on this page
    }
  });
  button.classList.add("digest-viewtoggle--ready");
})();
