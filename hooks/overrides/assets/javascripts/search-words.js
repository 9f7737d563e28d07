// The shards that may hold a query, from the word directory written beside them
// (scripts/arxiv_digest/site/words.py), so that the search box merges only those.
//
// Pagefind stems a query's words (English Snowball) and matches each as the prefix of the
// stems it indexed; a shard holding none of a query's words returns nothing, and one holding
// some returns what those match (a word it lacks is left out). So the shards of a query are the
// union of the shards of its words, and a word's shards are those of every directory word that
// may stem to an extension of its stem. The directory holds words as written, not stems: the
// lookup key is the part of the query word that its stem keeps unchanged, less up to two final
// letters among e, i, l and y (the only letters a stem puts after the unchanged part of a word:
// happy → happi, hoping → hope, possibility → possible, dying → die).
//
// Where a shard has no word extending a query word, Pagefind takes instead the longest word
// it has loaded that the query word extends ("kakaka" for "kakakalox"; which words are loaded
// depends on the index chunks fetched before). Among shards that hold a query's words, that
// only adds such near misses; so a shard is merged only if it holds an extension of a query
// word, and a word no shard extends (a typo, a word too long) is searched in every shard,
// where those near misses are then all the hits there are.
//
// Where the directory cannot answer (a key shorter than two letters, a character other than
// a-z and 0-9, a file missing) or no shard extends a word, the answer is null: every shard.

const VOWELS = "aeiouy"; // a consonant "y" is written "Y" while stemming

// Whole words the stemmer treats apart, and words it leaves as they are after its first step.
const SPECIAL = new Map(Object.entries({
  skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl",
  gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky",
  news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes",
}));
const INVARIANT = new Set(["inning", "outing", "canning", "herring", "earring", "proceed",
  "exceed", "succeed"]);
// Suffix → replacement (a function of the word for the conditional ones), by step.
const STEP2 = [["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"],
  ["abli", "able"], ["entli", "ent"], ["izer", "ize"], ["ization", "ize"], ["ation", "ate"],
  ["ator", "ate"], ["alism", "al"], ["aliti", "al"], ["alli", "al"], ["fulness", "ful"],
  ["ousli", "ous"], ["ousness", "ous"], ["iveness", "ive"], ["iviti", "ive"], ["biliti", "ble"],
  ["bli", "ble"], ["ogi", (w) => (w.endsWith("l") ? "og" : null)], ["fulli", "ful"],
  ["lessli", "less"], ["li", (w) => ("cdeghkmnrt".includes(w.at(-1)) ? "" : null)]];
const STEP3 = [["tional", "tion"], ["ational", "ate"], ["alize", "al"], ["icate", "ic"],
  ["iciti", "ic"], ["ical", "ic"], ["ful", ""], ["ness", ""], ["ative", "", "R2"]];
const STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
  "ism", "ate", "iti", "ous", "ive", "ize"].map((s) => [s, "", "R2"]);
STEP4.push(["ion", (w) => (/[st]$/.test(w) ? "" : null), "R2"]);
for (const step of [STEP2, STEP3, STEP4]) step.sort((a, b) => b[0].length - a[0].length);

const vowel = (c) => c !== undefined && VOWELS.includes(c);

// The start of the region after the first non-vowel that follows a vowel, from `from`.
function region(w, from) {
  let i = from;
  while (i < w.length && !vowel(w[i])) i++;
  i++;
  while (i < w.length && vowel(w[i])) i++;
  return Math.min(i + 1, w.length);
}

// A short syllable ends `w`: non-vowel, vowel, non-vowel other than w, x and Y; or, as the
// whole word, vowel and non-vowel.
function shortEnd(w) {
  const n = w.length;
  if (n === 2) return vowel(w[0]) && !vowel(w[1]);
  return n > 2 && !vowel(w[n - 3]) && vowel(w[n - 2]) && !vowel(w[n - 1]) && !"wxY".includes(w[n - 1]);
}

// Apply the longest suffix of `table` that `w` ends with, if its region allows (else nothing).
function replace(w, table, p1, p2) {
  for (const [suffix, by, where] of table) {
    if (!w.endsWith(suffix)) continue;
    const start = w.length - suffix.length;
    if (start < (where === "R2" ? p2 : p1)) return w;
    const head = w.slice(0, start);
    const tail = typeof by === "function" ? by(head) : by;
    return tail === null ? w : head + tail;
  }
  return w;
}

// The English Snowball stem of a lower-case word (the algorithm Pagefind stems with).
export function stem(word) {
  if (SPECIAL.has(word)) return SPECIAL.get(word);
  if (word.length < 3) return word;
  let w = word.replace(/^y/, "Y").replace(/([aeiouy])y/g, "$1Y");
  const prefix = /^(gener|commun|arsen)/.exec(w);
  const p1 = prefix ? prefix[0].length : region(w, 0);
  const p2 = region(w, p1);
  // Step 1a: plurals.
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (/ie[ds]$/.test(w)) w = w.slice(0, w.length > 4 ? -2 : -1);
  else if (/(us|ss)$/.test(w)) { /* left as it is */ }
  else if (w.endsWith("s") && /[aeiouy]/.test(w.slice(0, -2))) w = w.slice(0, -1);
  if (INVARIANT.has(w)) return w;
  // Step 1b: -ed, -ing.
  const past = /(eedly|ingly|edly|eed|ing|ed)$/.exec(w);
  if (past && past[1].startsWith("eed")) {
    if (past.index >= p1) w = `${w.slice(0, past.index)}ee`;
  } else if (past && /[aeiouy]/.test(w.slice(0, past.index))) {
    w = w.slice(0, past.index);
    if (/(at|bl|iz)$/.test(w)) w += "e";
    else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
    else if (w.length === p1 && shortEnd(w)) w += "e";
  }
  // Step 1c: a final y after a non-vowel that is not the first letter.
  if (/[yY]$/.test(w) && w.length > 2 && !vowel(w.at(-2))) w = `${w.slice(0, -1)}i`;
  w = replace(replace(replace(w, STEP2, p1, p2), STEP3, p1, p2), STEP4, p1, p2);
  // Step 5: a final e or l.
  const start = w.length - 1;
  if (w.endsWith("e") && (start >= p2 || (start >= p1 && !shortEnd(w.slice(0, -1))))) {
    w = w.slice(0, -1);
  } else if (w.endsWith("ll") && start >= p2) {
    w = w.slice(0, -1);
  }
  return w.replaceAll("Y", "y");
}

// The directory key of a query word: what every directory word it may match starts with.
export function lookupKey(word) {
  const stemmed = stem(word);
  let kept = 0;
  while (kept < word.length && word[kept] === stemmed[kept]) kept++;
  return word.slice(0, kept).replace(/[eily]{1,2}$/, "");
}

// A query's words as Pagefind reads them: lower case, punctuation dropped, diacritics dropped.
export function queryWords(term) {
  return term.toLocaleLowerCase().replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "")
    .normalize("NFD").replace(/\p{M}/gu, "").split(/\s+/).filter(Boolean);
}

// Shard places of a directory key: "0-2,5" → [0, 1, 2, 5].
function places(key) {
  const out = [];
  for (const part of key.split(",")) {
    const [first, last = first] = part.split("-").map(Number);
    for (let i = first; i <= last; i++) out.push(i);
  }
  return out;
}

export class WordDirectory {
  // `url`: the directory's folder; `listing`: shards.json's "words" (its shards, oldest
  // first, and its two-character prefixes), or undefined if the bundle has none.
  constructor(url, listing) {
    this.url = url;
    this.shards = listing?.shards ?? null;
    this.prefixes = new Set((listing?.prefixes ?? "").split(" "));
    this.files = new Map();
  }

  file(prefix) {
    if (!this.files.has(prefix)) {
      this.files.set(prefix, fetch(new URL(`${prefix}.json`, this.url))
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null));
    }
    return this.files.get(prefix);
  }

  // The shards that may hold a word (a Set of names), or null if the directory cannot tell.
  async word(word) {
    if (!this.shards || !/^[a-z0-9]+$/.test(word)) return null;
    const key = lookupKey(word);
    if (key.length < 2) return null;
    let prefix = key.slice(0, 2);
    if (!this.prefixes.has(prefix)) return new Set();
    let data = await this.file(prefix);
    while (data && data["+"] !== undefined) {
      if (key.length === prefix.length) return null; // every longer word: too many files
      if (!data["+"].includes(key[prefix.length])) return new Set();
      prefix += key[prefix.length];
      data = await this.file(prefix);
    }
    if (!data) return null;
    const found = new Set();
    for (const [set, suffixes] of Object.entries(data)) {
      if (suffixes.split(" ").some((suffix) => (prefix + suffix).startsWith(key))) {
        for (const place of places(set)) found.add(this.shards[place]);
      }
    }
    return found;
  }

  // The shards among `all` (newest first) that may hold a query, in that order; null if the
  // directory cannot tell. A shard the directory does not cover may hold anything.
  async query(term, all) {
    const words = queryWords(term);
    if (!this.shards || !words.length) return null;
    const found = await Promise.all(words.map((word) => this.word(word)));
    if (found.some((names) => names === null || names.size === 0)) return null;
    const covered = new Set(this.shards);
    return all.filter((name) => !covered.has(name) || found.some((names) => names.has(name)));
  }
}
