// Header search over the Pagefind index of the paper pages (written by scripts/arxiv_digest/site/search.py).
// Pagefind is loaded on first use, and a query fetches only the shards that may hold its words,
// the index chunks of those words and the fragments of the hits shown, so the first result
// costs a few hundred KB at any site size.
// URLs are relative to this file, so the site works under a sub-path (GitHub project pages).

import { WordDirectory } from "./search-words.js";

const SHOWN = 10; // hits rendered at first; "more" renders the next ones
const root = new URL("../../", import.meta.url);
const PLACEHOLDER = "Type to search titles, authors and summaries";
const box = document.querySelector("[data-pagefind-search]");
const toggle = document.getElementById("__search");
// The sprite's named symbols of Material's icons (scripts/arxiv_digest/site/compact.py).
const icon = (name) =>
  `<svg viewBox="0 0 24 24"><use href="${new URL(`assets/icons.svg#material-${name}`, root)}"/></svg>`;
// The search dialog in Material's markup, so that its styles apply: the box, and the panel
// where the results go.
box.innerHTML =
  '<label class="md-search__overlay" for="__search"></label>' +
  '<div class="md-search__inner" role="search">' +
  '<form class="md-search__form" action="javascript:void(0)">' +
  '<input type="text" class="md-search__input" name="query" aria-label="Search papers" ' +
  'placeholder="Search papers" autocomplete="off" spellcheck="false" required>' +
  `<label class="md-search__icon md-icon" for="__search">${icon("magnify")}${icon("arrow-left")}</label>` +
  '<nav class="md-search__options" aria-label="Search"><button type="reset" ' +
  `class="md-search__icon md-icon" title="Clear" aria-label="Clear" tabindex="-1">${icon("close")}` +
  "</button></nav></form>" +
  '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0">' +
  '<div class="md-search-result"><div class="md-search-result__meta"></div>' +
  '<ol class="md-search-result__list" role="presentation"></ol></div></div></div></div>';
const input = box.querySelector("input[name=query]");
const meta = box.querySelector(".md-search-result__meta");
const list = box.querySelector(".md-search-result__list");
const panel = box.querySelector(".md-search-result");
meta.textContent = PLACEHOLDER;
let latest = 0;
let listing = null; // shards.json: every shard's name, newest first, and the word directory
let pagefind = null; // Pagefind, loaded from its primary bundle
const merged = new Map(); // shard name → its merge, as a promise

// The index is in shards, one per month of announcements (search.py), named newest first in
// shards.json. Pagefind and its code come from the primary bundle (pagefind/base/: an index of
// one placeholder record, whose hit is dropped), and a query merges into it only the shards that
// may hold it (the word directory, search-words.js), newest first (Pagefind's mergeIndex: their
// page lists, then only the chunks of the words typed); the hits are shown once the first shard
// answers, then again as more are merged. An arXiv id goes first to the shards of its month.
function load() {
  listing ??= fetch(new URL("pagefind/shards.json", root))
    .then((response) => response.json())
    .then((data) => ({
      shards: data.shards,
      placeholder: data.placeholder,
      words: new WordDirectory(new URL("pagefind/words/", root), data.words),
    }));
  return listing;
}

// Pagefind with the shards `names` merged.
async function engine(names) {
  pagefind ??= import(new URL("pagefind/base/pagefind.js", root).href).then(async (pf) => {
    await pf.options({ excerptLength: 30 });
    await pf.init();
    return pf;
  });
  const pf = await pagefind;
  for (const name of names) {
    // A path, not a URL: the hits of every shard then link the same way.
    const path = new URL(`pagefind/${name}/`, root).pathname;
    if (!merged.has(name)) merged.set(name, pf.mergeIndex(path, { excerptLength: 30 }));
  }
  await Promise.all(names.map((name) => merged.get(name)));
  return pf;
}

function item(data) {
  const li = document.createElement("li");
  li.className = "md-search-result__item";
  const link = li.appendChild(document.createElement("a"));
  link.className = "md-search-result__link";
  link.href = data.url;
  const article = link.appendChild(document.createElement("article"));
  article.className = "md-search-result__article md-typeset";
  article.appendChild(document.createElement("h1")).textContent = data.meta.title || data.url;
  if (data.meta.authors) {
    const by = article.appendChild(document.createElement("p"));
    by.className = "md-search-result__authors";
    by.textContent = data.meta.authors;
  }
  // The announcement day and the topics, so that a hit says when and what.
  const about = [data.meta.day, data.meta.topics].filter(Boolean).join(" · ");
  if (about) {
    const when = article.appendChild(document.createElement("p"));
    when.className = "md-search-result__day";
    when.textContent = about;
  }
  // Pagefind's excerpt is escaped page text with <mark> around the matched words.
  article.appendChild(document.createElement("p")).innerHTML = data.excerpt;
  return li;
}

// Show the hits from `from` on; from 0, in place of the list, once their data is in (so that
// the list does not empty while the hits of more shards load).
async function show(results, from, query) {
  const chunk = results.slice(from, from + SHOWN);
  const datas = await Promise.all(chunk.map((r) => r.data()));
  if (query !== latest) return;
  if (from === 0) {
    const count = results.length;
    list.replaceChildren();
    meta.textContent = count === 0 ? "No matching papers" : count === 1 ? "1 matching paper" : `${count} matching papers`;
  }
  list.querySelector(".md-search-result__more")?.remove();
  for (const data of datas) list.appendChild(item(data));
  if (results.length > from + SHOWN) {
    const more = list.appendChild(document.createElement("li"));
    more.className = "md-search-result__more";
    const button = more.appendChild(document.createElement("button"));
    button.type = "button";
    button.className = "md-button";
    button.textContent = `Show more (${results.length - from - SHOWN})`;
    button.addEventListener("click", () => show(results, from + SHOWN, query));
  }
}

// An arXiv id as people paste it: "2611.00590", "2611.00590v1", "arXiv:2611.00590", "cs/0601001".
const ARXIV_ID = /^(?:arxiv:\s*)?((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))(?:v\d+)?$/i;

// The shards that may hold the paper of an id: those of its month and the next (a paper is
// announced days after it is submitted).
function idShards(id) {
  const match = id.match(/^(\d{2})(\d{2})\./) || id.match(/\/(\d{2})(\d{2})\d{3}$/);
  if (!match) return [];
  let year = Number(match[1]) + (id.includes("/") && Number(match[1]) >= 91 ? 1900 : 2000);
  let month = Number(match[2]);
  const name = () => `${year}-${String(month).padStart(2, "0")}`;
  const names = [name()];
  if (month === 12) [year, month] = [year + 1, 1];
  else month += 1;
  names.push(name());
  return names;
}

// Shards merged before the first render, then in each later round (at most): a word in many
// shards shows its newest hits after one shard's chunk, not after all of them.
const ROUNDS = [1, 2, 4, 8, 16, 32];

// The results are busy (aria-busy) until the last shard of the latest query has answered.
async function run() {
  const query = ++latest;
  panel.setAttribute("aria-busy", "true");
  await search(query, input.value.trim());
  if (query === latest) panel.setAttribute("aria-busy", "false");
}

// An id is searched as its bare form, which the paper's record holds as text (search.py).
async function search(query, term) {
  if (!term) {
    list.replaceChildren();
    meta.textContent = PLACEHOLDER;
    return;
  }
  const { shards, placeholder, words } = await load();
  const id = term.match(ARXIV_ID)?.[1];
  const text = id || term;
  // The hits in the shards `names` (the primary bundle's placeholder left out).
  const hits = async (names) =>
    (await (await engine(names)).search(text)).results.filter((hit) => hit.id !== placeholder);
  if (id) {
    const near = idShards(id).filter((name) => shards.includes(name));
    if (near.length) {
      const results = await hits(near);
      if (query !== latest) return;
      if (results.length) return show(results, 0, query);
    }
  }
  // Then the shards that may hold the words (every shard if the directory cannot tell): a
  // word's hits from all years, an id announced later than its month.
  const names = (await words.query(text, shards)) ?? shards;
  if (query !== latest) return;
  if (!names.length) return show([], 0, query);
  for (let done = 0, round = 0; done < names.length; round++) {
    done += ROUNDS[Math.min(round, ROUNDS.length - 1)];
    const results = await hits(names.slice(0, done));
    if (query !== latest) return;
    if (results.length || done >= names.length) await show(results, 0, query);
  }
}

let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 120);
});
input.addEventListener("focus", () => {
  toggle.checked = true;
  load();
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    list.querySelector("a")?.click();
  } else if (event.key === "Escape") {
    toggle.checked = false;
    input.blur();
  }
});
box.querySelector("button[type=reset]").addEventListener("click", () => {
  input.value = "";
  run();
  input.focus();
});
toggle.addEventListener("change", () => (toggle.checked ? input.focus() : input.blur()));
list.addEventListener("click", (event) => {
  if (event.target.closest("a")) toggle.checked = false;
});
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey || target.isContentEditable) return;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
  if (["/", "s", "f"].includes(event.key)) {
    event.preventDefault();
    toggle.checked = true;
    input.focus();
  }
});
