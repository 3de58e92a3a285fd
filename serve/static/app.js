// The unres page: reads its state from the URL (so every view can be shared), calls the JSON API
// of the same server, and builds the DOM with textContent only (paragraph text is never parsed as HTML).
"use strict";

// Words not worth highlighting: the function words of search/stopwords.py (FUNCTION_WORDS).
const STOPWORDS = new Set(("a an and are as at be by for from has have in is it its of on or that the this to " +
  "was were where which with did do does how what when who why").split(" "));
const WORD = /[\p{L}\p{N}_]+/gu;
const MAX_SESSIONS = 100;
const MAX_HITS = 10000;  // the deepest a page of hits may end (search/query.py MAX_K)
const SVG_NS = "http://www.w3.org/2000/svg";  // the name of SVG's elements (a namespace, never fetched)
// The six official languages a query may be written in (`understood.language`).
const BODY_NAMES = { GA: "General Assembly", SC: "Security Council" };
const LANGUAGE_NAMES = { ar: "Arabic", zh: "Chinese", en: "English", fr: "French", ru: "Russian", es: "Spanish" };

const $ = (selector) => document.querySelector(selector);
const main = () => $("#main");

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Page URLs: /?q=…&verb=urges, /?similar=ID, /?resolution=SYMBOL&p=ID, /?paragraph=ID.
function pageUrl(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of [].concat(value)) if (v !== "" && v !== null && v !== undefined) search.append(name, v);
  }
  return "/?" + search.toString();
}

function link(text, params, attributes = {}) {
  return el("a", { href: pageUrl(params), "data-nav": true, ...attributes }, text);
}

// API paths: ids and symbols carry "/" and "#", so each is sent whole as one percent-encoded segment.
const api = {
  search: (params) => "/search?" + params.toString(),
  paragraph: (id) => "/paragraphs/" + encodeURIComponent(id),
  similar: (id, k) => "/paragraphs/" + encodeURIComponent(id) + "/similar?k=" + k,
  resolution: (symbol) => "/resolutions/" + encodeURIComponent(symbol),
  lineage: (id) => "/paragraphs/" + encodeURIComponent(id) + "/lineage",
  citedBy: (symbol) => "/resolutions/" + encodeURIComponent(symbol) + "/cited-by",
  items: (symbol) => "/resolutions/" + encodeURIComponent(symbol) + "/items",
  trend: (params) => "/trend?" + params.toString(),
};
// The page's filters, as the search API names them (`session_min`/`session_max` become `session`s).
const SEARCH_PARAMS = ["k", "mode", "body", "from", "to", "sort", "offset"];
const REPEATED_PARAMS = ["verb", "kind", "symbol"];
const FACET_NAMES = { body: "Body", kind: "Kind", verb: "Verb", year: "Year", session: "Session" };
const FACET_SHOWN = { body: 2, kind: 3, verb: 8, year: 12, session: 8 };

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!response.ok) throw new Error((body && body.error) || `${response.status} ${response.statusText}`);
  return body;
}

function queryTerms(query) {
  const words = (query || "").toLowerCase().match(WORD) || [];
  return [...new Set(words)].filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

// The paragraph text with its phrase in bold and the query's words (and their endings) marked.
function richText(text, phrase, terms) {
  const spans = [];
  const start = phrase ? text.indexOf(phrase) : -1;
  if (start >= 0) spans.push([start, start + phrase.length, "phrase"]);
  if (terms.length) {
    // each term in the spellings the index reads as one (index/variants.py): cease-fire for ceasefire, -ise for -ize
    const escaped = terms.map((t) => [...t].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("-?").replace(/i-\?[sz]/g, "i-?[sz]"));
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${escaped.join("|")})[\\p{L}\\p{N}_]*`, "giu");
    for (const match of text.matchAll(pattern)) spans.push([match.index, match.index + match[0].length, "mark"]);
  }
  spans.sort((a, b) => a[0] - b[0] || (a[2] === "phrase" ? -1 : 1));
  const out = [];
  let at = 0;
  for (const [from, to, what] of spans) {
    if (from < at) continue;
    out.push(text.slice(at, from));
    out.push(el(what === "phrase" ? "strong" : "mark", { class: what === "phrase" ? "phrase" : null }, text.slice(from, to)));
    at = to;
  }
  out.push(text.slice(at));
  return out;
}

function label(id) {
  return id.includes("#") ? id.slice(id.indexOf("#") + 1) : id;
}

function hitCard(hit, terms, options = {}) {
  const where = [hit.body, hit.session ? `session ${hit.session}` : null, hit.kind].filter(Boolean).join(" · ");
  const head = el("div", { class: "meta" },
    hit.rank ? el("span", { class: "rank", title: `score ${hit.score}` }, hit.rank) : null,
    link(hit.symbol, { resolution: hit.symbol, p: hit.id }, { class: "symbol", title: "the whole resolution" }),
    el("span", { class: "pid" }, hit.number !== null ? `¶ ${hit.number}` : label(hit.id)),
    hit.verb ? el("strong", { class: "verb" }, hit.verb) : null,
    el("time", { datetime: hit.adopted || "" }, hit.adopted || "date unknown"),
    el("span", { class: "where" }, where));
  const notes = hit.footnotes.length
    ? el("ol", { class: "footnotes" }, hit.footnotes.map((note) =>
      el("li", { "data-marker": note.marker }, el("sup", {}, note.marker), " ", note.resolved)))
    : null;
  const nav = el("nav", { class: "links", "aria-label": `related to ${hit.id}` },
    hit.previous_id ? link("← previous", { paragraph: hit.previous_id }, { class: "previous", rel: "prev" }) : null,
    hit.next_id ? link("next →", { paragraph: hit.next_id }, { class: "next", rel: "next" }) : null,
    link("similar paragraphs", { similar: hit.id }, { class: "similar" }),
    link(lineageLabel(hit), { lineage: hit.id }, { class: "lineage", title: "this paragraph in the item's other resolutions" }),
    hit.cited_by ? link(`cited by ${hit.cited_by}`, { citedby: hit.symbol }, { class: "cited-by", title: `paragraphs citing ${hit.symbol}` }) : null,
    link("in the resolution", { resolution: hit.symbol, p: hit.id }, { class: "context" }),
    officialLink(hit.symbol),
    el("button", { type: "button", class: "copy", "data-reference": hit.reference, title: `copy “${hit.reference}”` }, "copy reference"));
  const cites = hit.citations.length
    ? el("p", { class: "cites" }, "Cites ", hit.citations.flatMap((c, i) => [i ? ", " : null,
      el("a", { href: undocs(c.symbol), rel: "noopener noreferrer" }, c.symbol),
      c.parts.length ? ` part ${c.parts.join(", ")}` : null,
      c.via.includes("text") ? null : " (footnote)"]).filter((part) => part !== null))
    : null;
  const copies = hit.also_in && hit.also_in.length
    ? el("p", { class: "also-in" }, "Same text also in ",
      hit.also_in.flatMap((id, i) => [i ? ", " : null, link(id, { paragraph: id })]).filter(Boolean))
    : null;
  return el("article", { class: "hit" + (options.focus ? " focus" : ""), "data-id": hit.id },
    head,
    el("h2", { class: "title" }, hit.title || hit.symbol),  // Security Council texts have no title
    el("p", { class: "text" }, richText(hit.text, hit.phrase, terms)),
    notes, cites, copies, nav);
}

// The lineage link's words: how many versions came before, when the index knows.
function lineageLabel(hit) {
  const earlier = hit.earlier_versions;
  if (!earlier) return hit.later_versions ? `${hit.later_versions} later version${hit.later_versions === 1 ? "" : "s"}` : "history";
  return `${earlier} earlier version${earlier === 1 ? "" : "s"}`;
}

// The official document in the UN's own system: a link built from the symbol, never fetched by this page.
function officialLink(symbol) {
  return el("a", { class: "official", href: undocs(symbol), rel: "noopener noreferrer" }, "official document");
}

function undocs(symbol) {
  return `https://undocs.org/${encodeURI(symbol)}`;
}

function message(text, kind = "note") {
  return el("p", { class: kind, role: kind === "error" ? "alert" : null }, text);
}

// Said to screen readers as it changes: "Searching…", then how many paragraphs were found.
function status(text) {
  $("#status").textContent = text;
}

function show(...nodes) {
  main().replaceChildren(...nodes.flat().filter(Boolean));
}

// ---- views -------------------------------------------------------------------------------------

async function searchView(state) {
  const params = searchParams(state);
  if (typeof params === "string") return show(message(params, "error"));
  show(message("Searching…", "loading"));
  status("Searching…");
  const result = await getJson(api.search(params));
  const terms = queryTerms(result.understood.text);  // excluded words and quote marks are not in it
  const count = result.hits.length;
  const language = result.understood.language;
  const name = LANGUAGE_NAMES[language] || language;
  const across = language === "en" ? "" : state.get("mode") === "lexical" ? ` — read as ${name}` : ` — read as ${name}, matched across languages`;
  const total = result.total === null ? null : `${result.total.toLocaleString("en")} paragraph${result.total === 1 ? "" : "s"}`;
  const lead = !count ? "No paragraph matches " : !result.matched ? "No paragraph holds the words of "
    : total !== null ? `${total} hold${result.total === 1 ? "s" : ""} every word of ` : `${count} paragraph${count === 1 ? "" : "s"} for `;
  const range = count && (result.offset || result.sort === "date" || result.total > count)
    ? `; showing ${result.offset + 1}–${result.offset + count}${result.sort === "date" ? ", latest first" : ", best first"}` : "";
  status(`${lead}${result.query}${count > 0 && !result.matched ? "; the closest are shown" : range}`);
  show(el("h1", { class: "summary" }, lead,
    el("q", { lang: language, dir: "auto" }, result.query), across, count > 0 && !result.matched ? "; the closest:" : range),
  understoodLine(result.understood),
  result.suggestion ? el("p", { class: "suggestion" }, "Did you mean ",
    el("a", { href: "/?" + withQuery(state, result.suggestion), "data-nav": true, class: "suggested" }, result.suggestion), "?") : null,
  el("div", { class: "results" },
    el("section", { class: "hits", "aria-label": "Results" }, result.hits.map((hit) => hitCard(hit, terms)), pager(state, result)),
    facetPanel(state, result, params)));
}

// The search API's parameters from the page's state; a message instead when the session range is not one.
function searchParams(state) {
  const params = new URLSearchParams();
  params.set("q", state.get("q"));
  for (const name of SEARCH_PARAMS) if (state.get(name)) params.set(name, state.get(name));
  for (const name of REPEATED_PARAMS) for (const value of state.getAll(name)) if (value) params.append(name, value);
  const sessions = sessionRange(state);
  if (typeof sessions === "string") return sessions;
  for (const session of sessions) params.append("session", session);
  return params;
}

// Previous and next pages of hits, as links (each page is a URL of its own).
function pager(state, result) {
  const k = Number(state.get("k") || 10);
  const links = [];
  if (result.offset > 0) links.push(link("← previous page", withState(state, { offset: Math.max(0, result.offset - k) || "" }), { rel: "prev" }));
  const more = result.hits.length === k && result.offset + 2 * k <= MAX_HITS
    && (result.sort === "relevance" || result.offset + k < result.total);
  if (more) links.push(link("next page →", withState(state, { offset: result.offset + k }), { rel: "next" }));
  return links.length ? el("nav", { class: "pager", "aria-label": "Pages of results" }, links) : null;
}

// How the paragraphs holding every word divide: each value a link that narrows the search to it
// (counted with its own filter lifted, so the count is what the link gives), the trend and the exports.
function facetPanel(state, result, params) {
  const groups = [];
  for (const { name: facet, values } of result.facets || []) {
    if (!values.length) continue;
    const items = values.slice(0, FACET_SHOWN[facet]).map(({ value, count }) => {
      const chosen = facetChosen(state, facet, value);
      const text = `${value === null ? "date unknown" : value} (${count.toLocaleString("en")})`;
      return el("li", {}, value === null ? text : link(text, chosen ? facetCleared(state, facet) : facetApplied(state, facet, value),
        { "aria-current": chosen ? "true" : null, title: chosen ? "remove this filter" : null }));
    });
    groups.push(el("section", { class: "facet" }, el("h2", {}, FACET_NAMES[facet] || facet), el("ul", {}, items)));
  }
  const exported = (format) => {
    const file = new URLSearchParams(params);
    file.set("format", format);
    return el("a", { href: api.search(file), download: `unres-search.${format}`, class: `export-${format}` }, format.toUpperCase());
  };
  const trend = new URLSearchParams({ trend: state.get("q") });
  for (const name of ["body", "from", "to"]) if (state.get(name)) trend.set(name, state.get(name));
  return el("aside", { class: "facets", "aria-label": "Refine and export" },
    result.total !== null ? groups : null,
    el("section", { class: "facet" }, el("h2", {}, "Over time"),
      el("p", {}, el("a", { href: "/?" + trend.toString(), "data-nav": true, class: "trend-link" }, "Trend of these words by year"))),
    el("section", { class: "facet" }, el("h2", {}, "Download these hits"),
      el("p", { class: "exports" }, ["csv", "jsonl", "ris"].flatMap((format, i) => [i ? " · " : null, exported(format)]).filter(Boolean))));
}

function facetChosen(state, facet, value) {
  if (facet === "body") return state.get("body") === value;
  if (facet === "verb") return state.getAll("verb").includes(value);
  if (facet === "kind") return state.getAll("kind").length === 1 && state.get("kind") === value;
  if (facet === "year") return state.get("from") === value && state.get("to") === value;
  return state.get("session_min") === value && state.get("session_max") === value;
}

function facetApplied(state, facet, value) {
  const changes = { body: { body: value }, verb: { verb: value }, kind: { kind: value },
    year: { from: value, to: value }, session: { session_min: value, session_max: value } };
  return withState(state, { ...changes[facet], offset: "" });
}

function facetCleared(state, facet) {
  const cleared = { body: { body: "" }, verb: { verb: "" }, kind: { kind: "" }, year: { from: "", to: "" },
    session: { session_min: "", session_max: "" } };
  return withState(state, { ...cleared[facet], offset: "" });
}

// The page's state with some values replaced ("" removes one): the parameters of a page URL.
function withState(state, changes) {
  const next = {};
  for (const key of new Set(state.keys())) next[key] = state.getAll(key);
  return { ...next, ...changes };
}

// The page's own URL with another query, the filters kept.
function withQuery(state, query) {
  const next = new URLSearchParams(state);
  next.set("q", query);
  next.delete("offset");  // another query starts at its first page
  return next.toString();
}

// What the query was read as, as the terminal's `understood:` line says it: intents, acronyms, grammar.
function understoodLine(u) {
  const parts = [];
  if (u.body) parts.push(`body ${u.body}`);
  if (u.verbs.length) parts.push(`verb ${u.verbs.join(", ")}`);
  if (u.years.length) parts.push(`year ${u.years.join(", ")}`);
  if (u.sessions.length) parts.push(`session ${u.sessions.join(", ")}`);
  for (const e of u.expansions) parts.push(`${e.acronym} = ${e.expansion}`);
  for (const p of u.phrases) parts.push(`phrase “${p}”`);
  for (const p of u.excluded) parts.push(`not “${p}”`);
  for (const s of u.symbols) parts.push(`resolution ${s}`);
  return parts.length ? el("p", { class: "understood" }, `Understood: ${parts.join(" · ")}`) : null;
}

function sessionRange(state) {
  const low = state.get("session_min");
  const high = state.get("session_max");
  if (!low && !high) return [];
  const first = Number(low || high);
  const last = Number(high || low);
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last < first) {
    return `Session range ${low || "?"}–${high || "?"} is not a range of session numbers.`;
  }
  if (last - first >= MAX_SESSIONS) return `Session range ${first}–${last} is over ${MAX_SESSIONS} sessions.`;
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

async function similarView(state) {
  const id = state.get("similar");
  const k = state.get("k") || 10;
  show(message("Looking for similar paragraphs…", "loading"));
  const [source, result] = await Promise.all([getJson(api.paragraph(id)), getJson(api.similar(id, k))]);
  show(el("h1", { class: "summary" }, "Paragraphs closest to ", el("strong", {}, source.id)),
    hitCard(source, [], { focus: true }),
    el("h2", { class: "section" }, "Similar paragraphs"),
    el("section", { class: "hits" }, result.hits.map((hit) => hitCard(hit, []))));
}

// A paragraph over the years: each version with the words added (ins) and removed (del) since the one before.
async function lineageView(state) {
  const id = state.get("lineage");
  show(message("Loading the history…", "loading"));
  const found = await getJson(api.lineage(id));
  const versions = found.versions.map((v, i) => el("li", { class: "version" + (v.id === id ? " focus" : ""), "data-id": v.id },
    el("p", { class: "meta" }, link(v.symbol, { resolution: v.symbol, p: v.id }, { class: "symbol" }),
      el("span", { class: "pid" }, v.number !== null ? `¶ ${v.number}` : label(v.id)),
      el("time", { datetime: v.adopted || "" }, v.adopted || "date unknown"),
      v.similarity === null ? el("span", { class: "where" }, "first version")
        : el("span", { class: "where" }, `${Math.round(v.similarity * 100)}% the same words`),
      i && found.versions[i - 1].verb && v.verb && found.versions[i - 1].verb !== v.verb
        ? el("strong", { class: "act" }, `act: ${found.versions[i - 1].verb} → ${v.verb}`) : null),
    el("p", { class: "text diff" }, v.diff.length ? v.diff.map((span) =>
      span.op === "equal" ? span.text + " " : el(span.op === "insert" ? "ins" : "del", {}, span.text + " ")) : v.text)));
  const said = found.versions.length > 1
    ? `${found.versions.length} versions, first in ${found.first_appeared}, last in ${found.last_seen}`
    : "No earlier or later version in the index";
  show(el("h1", { class: "summary" }, "History of ", el("strong", {}, found.id), ": ", said,
    found.dropped ? `; dropped from ${found.latest_resolution}` : ""),
  el("ol", { class: "versions" }, versions),
  found.elsewhere.length ? [el("h2", { class: "section" }, "The same language on other items"),
    el("ul", { class: "elsewhere" }, found.elsewhere.map((r) => el("li", {},
      link(r.id, { paragraph: r.id }), ` — ${r.title || r.symbol}, ${r.adopted || "date unknown"}`)))] : null);
}

// Every paragraph citing a resolution, grouped by citing resolution.
async function citedByView(state) {
  const symbol = state.get("citedby");
  show(message("Looking for citations…", "loading"));
  const found = await getJson(api.citedBy(symbol));
  show(el("h1", { class: "summary" }, el("strong", {}, found.symbol), ` is cited by ${found.paragraphs} paragraph`,
    found.paragraphs === 1 ? "" : "s", ` in ${found.resolutions.length} resolution`, found.resolutions.length === 1 ? "" : "s",
    found.in_index ? "" : " (it is not in the index itself)"),
  found.resolutions.map((r) => el("section", { class: "citing" },
    el("h2", { class: "title" }, link(r.symbol, { resolution: r.symbol }, { class: "symbol" }), ` ${r.title || ""}`),
    el("ul", {}, r.paragraphs.map((p) => el("li", { "data-id": p.id },
      link(label(p.id), { resolution: r.symbol, p: p.id }), ` (in its ${p.via.join(" and ")}) `, p.text))))));
}

// How many operative paragraphs hold the words, year by year, one bar chart per body (drawn as SVG from
// the API's JSON), with the counts as a table for screen readers and for copying.
async function trendView(state) {
  const params = new URLSearchParams({ q: state.get("trend") });
  for (const name of ["body", "from", "to"]) if (state.get(name)) params.set(name, state.get(name));
  show(message("Counting…", "loading"));
  const found = await getJson(api.trend(params));
  const bodies = [...new Set(found.points.map((p) => p.body))];
  const matching = (body) => found.points.some((p) => p.body === body && p.matching);
  const charts = bodies.filter(matching).map((body) => trendChart(body, found.points.filter((p) => p.body === body)));
  const none = bodies.filter((body) => !matching(body)).map((body) => BODY_NAMES[body] || body);
  status(`${found.total} matching paragraphs`);
  show(el("h1", { class: "summary" }, `${found.total.toLocaleString("en")} operative paragraph${found.total === 1 ? "" : "s"} hold every word of `,
    el("q", {}, found.query), " — by year"),
  el("p", { class: "links" }, link("search these words", { q: found.query }, { class: "search-link" })),
  charts,
  none.length ? el("p", { class: "note" }, `No ${none.join(" or ")} paragraph holds them.`) : null,
  el("details", { class: "trend-table" }, el("summary", {}, "The counts as a table"),
    el("table", {}, el("thead", {}, el("tr", {}, ["Year", "Body", "Matching", "Paragraphs"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, found.points.filter((p) => p.matching).map((p) => el("tr", {},
        el("td", {}, p.period), el("td", {}, p.body), el("td", {}, p.matching), el("td", {}, p.paragraphs)))))));
}

function trendChart(body, points) {
  const svg = (tag, attributes = {}, ...children) => {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    for (const child of children.flat(Infinity)) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  };
  const first = Math.min(...points.map((p) => p.period));
  const last = Math.max(...points.map((p) => p.period));
  const counts = new Map(points.map((p) => [p.period, p.matching]));
  const top = Math.max(1, ...points.map((p) => p.matching));
  const years = last - first + 1;
  const [width, height, left, bottom] = [720, 220, 44, 28];
  const step = (width - left - 8) / years;
  const y = (n) => height - bottom - (n / top) * (height - bottom - 12);
  const bars = [];
  for (let year = first; year <= last; year++) {
    const n = counts.get(year) || 0;
    const x = left + (year - first) * step;
    bars.push(svg("rect", { x: x + step * 0.1, y: y(n), width: Math.max(1, step * 0.8), height: height - bottom - y(n), class: "bar" },
      svg("title", {}, `${year}: ${n}`)));
  }
  const ticks = [first, ...(years > 2 ? [Math.round((first + last) / 2)] : []), last].filter((v, i, a) => a.indexOf(v) === i);
  const name = BODY_NAMES[body] || body;
  const total = points.reduce((sum, p) => sum + p.matching, 0);
  return el("figure", { class: "trend" },
    el("figcaption", {}, `${name}: ${total.toLocaleString("en")} paragraphs, ${first}–${last}`),
    svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${name}, paragraphs per year from ${first} to ${last}, at most ${top} in a year` },
      svg("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: "axis" }),
      svg("text", { x: left - 6, y: y(top) + 4, "text-anchor": "end", class: "tick" }, top),
      svg("text", { x: left - 6, y: height - bottom, "text-anchor": "end", class: "tick" }, 0),
      ticks.map((year) => svg("text", { x: left + (year - first + 0.5) * step, y: height - 8, "text-anchor": "middle", class: "tick" }, year)),
      bars));
}

async function paragraphView(state) {
  const id = state.get("paragraph");
  show(message("Loading…", "loading"));
  show(hitCard(await getJson(api.paragraph(id)), [], { focus: true }));
}

async function resolutionView(state) {
  const symbol = state.get("resolution");
  const target = state.get("p");
  show(message("Loading the resolution…", "loading"));
  const [r, paired] = await Promise.all([getJson(api.resolution(symbol)), getJson(api.items(symbol)).catch(() => ({ items: [] }))]);
  const facts = [
    r.adopted ? `adopted ${r.adopted}` : null, r.meeting, r.session ? `session ${r.session}` : null,
    r.agenda_items.length ? `agenda item ${r.agenda_items.join(", ")}` : null, r.report ? `on report ${r.report}` : null,
  ].filter(Boolean).join(" · ");
  const parts = [["Preamble", r.preamble], ["Operative part", r.operative], ["Annexes", r.annexes]];
  const headings = Object.fromEntries((r.sections || []).map((s) => [s.label, s.heading]));
  const body = [];
  for (const [title, paragraphs] of parts) {
    if (!paragraphs.length) continue;
    body.push(el("h2", { class: "section" }, title));
    let section = null;
    const list = [];
    for (const p of paragraphs) {
      if (p.section && p.section !== section) {
        section = p.section;
        const heading = headings[section] || section;
        list.push(el("li", { class: "heading" }, el("h3", {}, heading === section ? section : `${section} ${heading}`)));
      }
      list.push(resolutionParagraph(p, p.id === target));
    }
    body.push(el("ol", { class: "structure" }, list));
  }
  if (r.footnotes.length) {
    body.push(el("h2", { class: "section" }, "Footnotes"));
    body.push(el("ol", { class: "footnotes all" }, r.footnotes.map((note) =>
      el("li", { id: `fn-${note.marker}` }, el("sup", {}, note.marker), " ", note.resolved))));
  }
  show(el("article", { class: "resolution" },
    el("p", { class: "meta" }, el("span", { class: "symbol" }, r.symbol), el("span", { class: "where" }, r.body)),
    el("h1", {}, r.title || r.symbol), el("p", { class: "facts" }, facts),
    r.heading_symbol ? el("p", { class: "conflict" }, `Its text is headed ${r.heading_symbol}: the file's name and its heading conflict.`) : null,
    el("p", { class: "links" }, link("cited by", { citedby: r.symbol }, { class: "cited-by" }), " ", officialLink(r.symbol)),
    paired.items.length ? el("p", { class: "items" }, "On the same item: ", paired.items.flatMap((pair, i) => {
      const other = pair.earlier === r.symbol ? pair.later : pair.earlier;
      const how = { title: null, renamed: " (renamed)", cites: pair.later === r.symbol ? " (cited here)" : " (cites this one)" };
      return [i ? ", " : null, link(other, { resolution: other }), how[pair.how]];
    }).filter((part) => part !== null)) : null,
    body));
  const focused = main().querySelector(".focus");
  if (focused) focused.scrollIntoView({ block: "center" });
}

function resolutionParagraph(p, focus) {
  const number = p.kind === "preambular" ? "" : (p.number !== null ? `${p.number}.` : label(p.id));
  const markers = p.footnotes.map((note) => el("a", { href: `#fn-${note.marker}`, class: "marker" }, el("sup", {}, note.marker)));
  const subparagraphs = p.subparagraphs.length && !p.text.includes(p.subparagraphs[0].text)
    ? el("ol", { class: "subparagraphs" }, p.subparagraphs.map((s) => el("li", {}, `${s.label} ${s.text}`)))
    : null;
  return el("li", { class: "paragraph " + p.kind + (focus ? " focus" : ""), "data-id": p.id },
    el("span", { class: "number" }, number),
    el("div", {},
      el("p", { class: "text" }, richText(p.text, p.phrase, []), markers),
      subparagraphs,
      el("nav", { class: "links", "aria-label": `related to ${p.id}` }, link("similar paragraphs", { similar: p.id }, { class: "similar" }))));
}

async function homeView() {
  const stats = await getJson("/stats");
  const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
  const paragraphs = Object.values(stats.paragraphs).reduce((sum, kinds) => sum + total(kinds), 0);
  const examples = ["finance South-South cooperation", "embargo on arms deliveries", "rights of indigenous peoples"];
  show(el("section", { class: "home" },
    el("h1", { class: "summary" }, "Search UN resolutions, one operative paragraph at a time"),
    el("p", {}, `${total(stats.resolutions).toLocaleString("en")} resolutions and ${paragraphs.toLocaleString("en")} paragraphs ` +
      "indexed, each operative paragraph on its own."),
    el("p", {}, "Try: ", examples.map((q, i) => [i ? ", " : "", link(q, { q })]))));
}

// ---- state -------------------------------------------------------------------------------------

function fillForm(state) {
  const form = $("#search");
  form.q.value = state.get("q") || state.get("trend") || "";
  form.verb.value = state.get("verb") || "";
  form.body.value = state.get("body") || "";
  form.session_min.value = state.get("session_min") || "";
  form.session_max.value = state.get("session_max") || "";
  form.from.value = state.get("from") || "";
  form.to.value = state.get("to") || "";
  form.sort.value = state.get("sort") || "relevance";
  form.k.value = state.get("k") || "10";
  const mode = state.get("mode") || "hybrid";
  for (const radio of form.querySelectorAll("[name=mode]")) radio.checked = radio.value === mode;
  const kinds = state.getAll("kind");
  for (const box of form.querySelectorAll("[name=kind]")) box.checked = kinds.length ? kinds.includes(box.value) : box.value === "operative";
  const filtered = ["mode", "verb", "body", "session_min", "session_max", "from", "to", "sort", "kind", "k"].some((name) => state.get(name));
  $("#more").open = filtered || !window.matchMedia("(max-width: 600px)").matches;  // folded on a phone
}

function formState() {
  const form = $("#search");
  const data = new FormData(form);
  const kinds = data.getAll("kind");
  return {
    q: data.get("q").trim(),
    mode: data.get("mode") === "hybrid" ? "" : data.get("mode"),
    verb: data.get("verb").trim().toLowerCase(),
    body: data.get("body"),
    session_min: data.get("session_min"),
    session_max: data.get("session_max"),
    from: data.get("from").trim(),
    to: data.get("to").trim(),
    sort: data.get("sort") === "relevance" ? "" : data.get("sort"),
    kind: kinds.length === 1 && kinds[0] === "operative" ? [] : kinds,
    k: data.get("k") === "10" ? "" : data.get("k"),
  };
}

async function render() {
  const state = new URLSearchParams(location.search);
  fillForm(state);
  const title = state.get("q") || state.get("resolution") || state.get("similar") || state.get("paragraph")
    || state.get("lineage") || state.get("citedby") || state.get("trend");
  document.title = title ? `${title} — unres` : "unres — search UN resolutions";
  status("");
  try {
    if (state.get("q")) await searchView(state);
    else if (state.get("similar")) await similarView(state);
    else if (state.get("resolution")) await resolutionView(state);
    else if (state.get("paragraph")) await paragraphView(state);
    else if (state.get("lineage")) await lineageView(state);
    else if (state.get("citedby")) await citedByView(state);
    else if (state.get("trend")) await trendView(state);
    else await homeView();
  } catch (error) {
    status(error.message);
    show(message(error.message, "error"));
  }
}

function navigate(url) {
  history.pushState(null, "", url);
  window.scrollTo(0, 0);
  render();
}

// Verb suggestions: the verbs of the kinds of paragraph chosen, those of at least MIN_SUGGESTED paragraphs
// (a rarer one, or an OCR slip, can still be typed).
const MIN_SUGGESTED = 3;
async function loadVerbs() {
  const kinds = [...document.querySelectorAll("#search [name=kind]:checked")].map((box) => box.value);
  const params = new URLSearchParams();
  for (const kind of kinds.length ? kinds : ["operative"]) params.append("kind", kind);
  try {
    const { verbs } = await getJson("/verbs?" + params.toString());
    $("#verbs").replaceChildren(...verbs.filter(({ paragraphs }) => paragraphs >= MIN_SUGGESTED)
      .map(({ verb, paragraphs }) => el("option", { value: verb }, `${paragraphs} paragraphs`)));
  } catch {
    // suggestions are a convenience; the search works without them
  }
}

async function copyReference(button) {
  const reference = button.getAttribute("data-reference");
  try {
    await navigator.clipboard.writeText(reference);
    status(`Copied: ${reference}`);
    button.textContent = "copied";
  } catch {
    status(`Copy this reference: ${reference}`);
    button.textContent = reference;  // no clipboard (an insecure origin): shown to be selected by hand
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const form = $("#search");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const state = formState();
    if (!state.q) { form.q.focus(); return; }
    navigate(pageUrl(state));
  });
  form.addEventListener("change", (event) => { if (event.target.name === "kind") loadVerbs(); });
  document.addEventListener("click", (event) => {
    const copy = event.target.closest("button.copy");
    if (copy) { copyReference(copy); return; }
    const anchor = event.target.closest("a[data-nav]");
    if (!anchor || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(anchor.getAttribute("href"));
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, select, textarea, [contenteditable]");
    if (event.key === "/" && !typing) {
      event.preventDefault();
      form.q.focus();
      form.q.select();
    } else if (event.key === "Escape" && event.target === form.q) {
      form.q.blur();
    }
  });
  window.addEventListener("popstate", () => { render(); loadVerbs(); });
  render();  // fills the form first, so the verbs suggested are those of the kinds it shows
  loadVerbs();
});
