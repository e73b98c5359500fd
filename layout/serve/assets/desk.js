// paiban desk: follows the server's builds (Server-Sent Events), redraws the pages that
// changed and draws the overlays. No dependencies; everything in page points (the SVG's unit).
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const desk = window.desk = {
  state: null, versions: {}, redraws: {}, overlayKeys: {}, decoded: new Set(), selected: null, zoom: 0,
  appliedGeneration: 0, appliedAt: 0, pending: null, busy: false,
};

function el(tag, attrs, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function html(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------- following the builds

function connect() {
  const source = new EventSource("/events");
  source.addEventListener("state", (event) => receive(JSON.parse(event.data)));
  source.onerror = () => status("reconnecting…", true);
}

function receive(state) {
  desk.pending = state;          // only the newest state matters
  if (!desk.busy) applyPending();
}

async function applyPending() {
  desk.busy = true;
  while (desk.pending) {
    const state = desk.pending;
    desk.pending = null;
    try { await apply(state); } catch (err) { status("error: " + err, true); }
  }
  desk.busy = false;
}

async function apply(state) {
  const first = desk.state === null;
  const marks = desk.marks = {received: Date.now()};
  if (state.pages.length) {
    // Fetch the changed pages first, then swap them in together.
    const changed = state.pages.filter((p) => desk.versions[p.number] !== p.version);
    const svgs = await Promise.all(changed.map((p) => fetch(p.svg).then((r) => {
      if (!r.ok) throw new Error(`${p.svg}: ${r.status}`);
      return r.text();
    })));
    marks.fetched = Date.now();
    desk.state = state;
    declareFaces(state.faces || []);
    layoutPages(state);
    changed.forEach((p, i) => drawPage(p, svgs[i]));
    // A page counts as shown once its new photos are decoded too (a photo whose URL did
    // not change is in the browser's memory already).
    const photos = new Set();
    changed.forEach((p) => document.querySelectorAll(`.page[data-page="${p.number}"] svg.page-svg image`)
      .forEach((node) => photos.add(node.getAttribute("href"))));
    await Promise.all([...photos].filter((href) => !desk.decoded.has(href)).map((href) => {
      desk.decoded.add(href);
      const image = new Image();
      image.src = href;
      return image.decode().catch(() => null);
    }));
    marks.drawn = Date.now();
    // Overlays too are drawn again only where their data changed.
    for (const p of state.pages) {
      const key = JSON.stringify(p);
      if (desk.overlayKeys[p.number] !== key) { drawOverlay(p); desk.overlayKeys[p.number] = key; }
    }
    marks.overlays = Date.now();
  } else if (desk.state === null) {
    desk.state = state;
  } else {
    desk.state = Object.assign({}, desk.state, {error: state.error, generation: state.generation});
  }
  document.title = (state.title || "paiban") + " — paiban desk";
  document.getElementById("title").textContent = state.title || "paiban";
  banner(state.error);
  diagnostics(state.error ? desk.state.diagnostics || [] : state.diagnostics);
  if (first) fitZoom();
  if (desk.selected) select(desk.selected, false);
  const t = state.timing || {};
  const ms = t.published && t.detected ? Math.round((t.published - t.detected) * 1000) : null;
  status(state.error ? "error — showing the last good pages"
         : `build ${state.generation}: ${state.pages.length} page${state.pages.length === 1 ? "" : "s"}`
           + (ms !== null ? `, ${ms} ms` : ""),
         !!state.error);
  marks.panels = Date.now();
  await document.fonts.ready;     // the first build waits for its faces; later ones do not
  marks.fonts = Date.now();
  // Two animation frames: the second callback runs once the first frame (with the new
  // page) has been painted.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  marks.frame = Date.now();
  desk.appliedGeneration = state.generation;
  desk.appliedAt = Date.now();
}

function status(text, error) {
  const node = document.getElementById("status");
  node.textContent = text;
  node.classList.toggle("error", !!error);
}

function banner(errors) {
  const node = document.getElementById("banner");
  node.replaceChildren();
  if (!errors || !errors.length) { node.hidden = true; return; }
  node.hidden = false;
  for (const e of errors) {
    const line = html("div");
    line.append(html("span", {class: "where", title: e.where || ""}, e.short || e.where || ""), " ", e.message);
    if (e.hint) line.append(html("small", {}, e.hint));
    node.append(line);
  }
  node.append(html("small", {}, "The pages below are the last good build; they follow the next save."));
}

// ---------------------------------------------------------------- pages

function layoutPages(state) {
  const holder = document.getElementById("pages");
  const wanted = state.pages.map((p) => String(p.number));
  for (const node of [...holder.children]) {
    if (!wanted.includes(node.dataset.page)) {
      node.remove();
      delete desk.versions[node.dataset.page];
      delete desk.overlayKeys[node.dataset.page];
    }
  }
  state.pages.forEach((p, index) => {
    let node = holder.querySelector(`.page[data-page="${p.number}"]`);
    if (!node) {
      node = html("div", {class: "page", "data-page": p.number});
      const sheet = html("div", {class: "sheet"});
      node.append(html("div", {class: "label"}), sheet);
      sheet.addEventListener("click", onSheetClick);
    }
    if (holder.children[index] !== node) holder.insertBefore(node, holder.children[index] || null);
    const label = node.querySelector(".label");
    label.textContent = `第${p.number}版 ${p.name}`;
    if (p.fill !== null && p.fill !== undefined) {
      label.append(html("span", {class: "fill"}, `fill ${Math.round(p.fill * 100)}%`));
    }
    sizeSheet(node.querySelector(".sheet"), p);
  });
}

function declareFaces(faces) {
  // Once for all pages; a face already declared is not loaded again.
  let style = document.getElementById("faces");
  if (!style) { style = html("style", {id: "faces"}); document.head.append(style); }
  const css = faces.map((f) => `@font-face{font-family:"${f.family}";src:url("${f.url}") ` +
                               'format("truetype");font-display:block}').join("\n");
  if (style.textContent !== css) style.textContent = css;
}

function drawPage(page, svgText) {
  const sheet = document.querySelector(`.page[data-page="${page.number}"] .sheet`);
  const old = sheet.querySelector("svg.page-svg");
  const holder = html("div");
  holder.innerHTML = svgText;
  const svg = holder.querySelector("svg");
  svg.classList.add("page-svg");
  if (old) old.replaceWith(svg); else sheet.prepend(svg);
  desk.versions[page.number] = page.version;
  desk.redraws[page.number] = (desk.redraws[page.number] || 0) + 1;
}

function sizeSheet(sheet, page) {
  const z = desk.zoom || 1;
  sheet.style.width = `${page.width * z}px`;
  sheet.style.height = `${page.height * z}px`;
  // Pages out of view are not painted (content-visibility); this keeps their place.
  sheet.parentNode.style.containIntrinsicSize = `${page.width * z}px ${page.height * z + 24}px`;
}

function setZoom(z) {
  desk.zoom = Math.min(8, Math.max(0.1, z));
  document.getElementById("zoom-label").textContent = `${Math.round(desk.zoom * 75)}%`;
  if (!desk.state) return;
  for (const p of desk.state.pages) {
    const sheet = document.querySelector(`.page[data-page="${p.number}"] .sheet`);
    if (sheet) sizeSheet(sheet, p);
  }
}

function fitZoom() {
  const pages = (desk.state && desk.state.pages) || [];
  if (!pages.length) return;
  const area = document.getElementById("pages");
  const h = Math.max(...pages.map((p) => p.height));
  setZoom((area.clientHeight - 70) / h);
}

// ---------------------------------------------------------------- overlays

function drawOverlay(page) {
  const sheet = document.querySelector(`.page[data-page="${page.number}"] .sheet`);
  let overlay = sheet.querySelector("svg.overlay");
  const fresh = el("svg", {class: "overlay", viewBox: `0 0 ${page.width} ${page.height}`,
                          preserveAspectRatio: "none"});
  const [ax, ay, aw, ah] = page.type_area;
  const baselines = el("g", {class: "baselines"});
  for (const y of page.baselines) baselines.append(el("line", {x1: ax, x2: ax + aw, y1: y, y2: y}));
  const columns = el("g", {class: "columns"});
  for (const [x0, x1] of page.columns) {
    columns.append(el("rect", {x: x0, y: ay, width: x1 - x0, height: ah}));
  }
  const boxes = el("g", {class: "boxes"});
  const overflow = el("g", {class: "overflow"});
  for (const box of page.boxes) {
    boxes.append(drawBox(page, box));
    if (!box.continued && box.fit && box.fit.overflow_text) drawOverflow(page, box, overflow);
  }
  fresh.append(columns, baselines, boxes, overflow);
  if (overlay) overlay.replaceWith(fresh); else sheet.append(fresh);
}

function photosOnly(fit) {
  return fit && fit.capacity_lines === 0 && fit.lines === 0 && !fit.overflow_lines;
}

function fitWords(fit) {
  if (!fit) return "no fit reported";
  if (photosOnly(fit)) return "photos only";
  let words = `${fit.lines}/${fit.capacity_lines} lines`;
  if (fit.overflow_lines) words += `, over ${fit.overflow_lines} lines/${fit.overflow_chars} chars`;
  else if (fit.spare_lines) words += `, spare ${fit.spare_lines} lines/${fit.spare_chars} chars`;
  else words += ", fits";
  return words;
}

function drawBox(page, box) {
  const fit = box.fit;
  const classes = ["box", box.placed_by || "unknown"];
  if (fit && fit.overflow_lines) classes.push("over");
  else if (fit && fit.spare_lines) classes.push("spare");
  const g = el("g", {class: classes.join(" "), "data-article": box.id});
  for (const [x0, y0, x1, y1] of box.rects) {
    const area = el("rect", {class: "area", x: x0, y: y0, width: x1 - x0, height: y1 - y0});
    area.addEventListener("click", (event) => { event.stopPropagation(); select(box.id, false); });
    g.append(area);
  }
  // The label: id, priority and who placed it; the fit; the copyfitting steps.
  const [x0, y0, x1] = box.rects[0];
  const size = Math.max(6, page.body_size * 0.8);
  const head = box.id + (box.continued ? " (cont.)" : "") + (box.priority ? ` · P${box.priority}` : "");
  const lines = [head];
  if (!box.continued) lines.push(fitWords(fit));
  if (!box.continued && fit && fit.adjustments && fit.adjustments.length) {
    lines.push("fitted: " + fit.adjustments.join(", "));
  }
  const tag = box.placed_by ? ` [${box.placed_by}]` : "";
  const longest = Math.max(...lines.map((line, i) => line.length + (i === 0 ? tag.length : 0)));
  const width = Math.min(longest * size * 0.56 + size, x1 - x0 - 2);
  g.append(el("rect", {class: "label-bg", x: x0 + 1, y: y0 + 1, width,
                       height: lines.length * size * 1.25 + size * 0.4}));
  lines.forEach((line, i) => {
    const text = el("text", {x: x0 + 1 + size * 0.4, y: y0 + 1 + size * (1.05 + 1.25 * i),
                             "font-size": size, class: i ? "fit-line" : "id-line"}, line);
    if (i === 0 && tag) text.append(el("tspan", {class: "tag"}, tag));
    g.append(text);
  });
  return g;
}

function drawOverflow(page, box, group) {
  // Where the text would have gone: on, line by line below the box's last column.
  const [, , x1, bottom] = box.rects[box.rects.length - 1];
  const column = page.columns.find(([, right]) => Math.abs(right - x1) < 0.5);
  const x0 = column ? column[0] : x1 - page.column_chars * page.body_size;
  const chars = page.column_chars;
  const text = box.fit.overflow_text.replace(/\s+/g, "");
  const lines = [];
  for (let i = 0; i < text.length; i += chars) lines.push(text.slice(i, i + chars));
  const limit = page.height - bottom;
  const shown = lines.slice(0, Math.max(1, Math.floor(limit / page.pitch)));
  group.append(el("rect", {x: x0, y: bottom, width: x1 - x0, height: shown.length * page.pitch}));
  shown.forEach((line, i) => {
    group.append(el("text", {x: x0, y: bottom + page.pitch * (i + 0.78), "font-size": page.body_size,
                             textLength: line.length === chars ? x1 - x0 : line.length * page.body_size,
                             lengthAdjust: "spacingAndGlyphs", "data-article": box.id}, line));
  });
}

// ---------------------------------------------------------------- article and diagnostics

function onSheetClick(event) {
  const hit = event.target.closest("[data-a]");
  if (hit) select(hit.getAttribute("data-a"), false);
}

function boxesOf(id) {
  const found = [];
  for (const page of (desk.state && desk.state.pages) || []) {
    for (const box of page.boxes) if (box.id === id) found.push([page, box]);
  }
  return found;
}

function select(id, scroll) {
  desk.selected = id;
  document.querySelectorAll(".overlay .box.selected").forEach((n) => n.classList.remove("selected"));
  const nodes = document.querySelectorAll(`.overlay .box[data-article="${CSS.escape(id)}"]`);
  nodes.forEach((n) => n.classList.add("selected"));
  if (scroll && nodes.length) {
    document.body.classList.add("show-boxes");
    document.querySelector('input[data-overlay="boxes"]').checked = true;
    nodes[0].querySelector("rect.area").scrollIntoView({block: "center", inline: "center", behavior: "smooth"});
  }
  showArticle(id);
}

function showArticle(id) {
  const panel = document.getElementById("article");
  panel.replaceChildren();
  const found = boxesOf(id);
  if (!found.length) { panel.append(html("p", {class: "hint"}, `${id}: not on any page`)); return; }
  const [page, box] = found.find(([, b]) => !b.continued) || found[0];
  const fit = box.fit;
  panel.append(html("h3", {}, box.headline || id));
  const facts = [`${id} · page ${page.number}` + (box.priority ? ` · priority ${box.priority}` : "")
                 + (box.placed_by ? ` · placed by ${box.placed_by}` : "")];
  if (photosOnly(fit)) {
    facts.push("photos only: no body text to fit");
  } else if (fit) {
    facts.push(`capacity ${fit.capacity_lines} lines / ${fit.capacity_chars} chars (${fit.columns} cols)`);
    facts.push(`set      ${fit.lines} lines / ${fit.chars_set} chars`);
    facts.push(fit.overflow_lines ? `over     ${fit.overflow_lines} lines / ${fit.overflow_chars} chars`
               : `spare    ${fit.spare_lines} lines / ${fit.spare_chars} chars`);
    if (fit.fixes && fit.fixes.length) facts.push("fixes    " + fit.fixes.map((f) => `${f.fix} ${f.amount}`).join("; "));
    if (fit.adjustments && fit.adjustments.length) facts.push("fitted   " + fit.adjustments.join(", "));
  }
  panel.append(html("div", {class: "fit" + (fit && fit.overflow_lines ? " over" : "")}, facts.join("\n")));
  for (const [, b] of found) {
    panel.append(html("pre", {class: "place"}, (b.continued ? "continued: " : "") +
                      (b.continued ? b.place_yaml.replace(/^place: /, "") : b.place_yaml)));
  }
  if (box.text || (fit && fit.overflow_text)) {
    const text = html("div", {class: "text"}, box.text || "");
    if (fit && fit.overflow_text) {
      text.append("\n", html("span", {class: "overflow-text", title: "does not fit"}, "⟶ " + fit.overflow_text));
    }
    panel.append(text);
  }
}

function diagnostics(list) {
  const holder = document.getElementById("diagnostics");
  holder.replaceChildren();
  document.getElementById("diag-count").textContent = `(${list.length})`;
  for (const d of list) {
    const item = html("li", {class: d.severity, "data-article": d.article || ""});
    item.append(d.message, html("span", {class: "where", title: d.where || ""}, d.short || d.where || ""));
    item.addEventListener("click", () => { if (d.article) select(d.article, true); });
    holder.append(item);
  }
}

// ---------------------------------------------------------------- controls

function setOverlay(name, on) {
  document.body.classList.toggle(`show-${name}`, on);
  const box = document.querySelector(`input[data-overlay="${name}"]`);
  if (box) box.checked = on;
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-overlay]").forEach((input) => {
    input.addEventListener("change", () => setOverlay(input.dataset.overlay, input.checked));
  });
  document.getElementById("zoom-in").onclick = () => setZoom(desk.zoom * 1.25);
  document.getElementById("zoom-out").onclick = () => setZoom(desk.zoom / 1.25);
  document.getElementById("zoom-fit").onclick = fitZoom;
  document.getElementById("arrange").onchange = (event) => {
    document.getElementById("pages").className = event.target.value;
  };
  const keys = {g: "baselines", c: "columns", b: "boxes", o: "overflow", e: "placed"};
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey) return;
    if (keys[event.key]) setOverlay(keys[event.key], !document.body.classList.contains(`show-${keys[event.key]}`));
    else if (event.key === "+" || event.key === "=") setZoom(desk.zoom * 1.25);
    else if (event.key === "-") setZoom(desk.zoom / 1.25);
    else if (event.key === "0") fitZoom();
  });
  document.getElementById("pages").addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    setZoom(desk.zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
  }, {passive: false});
  setZoom(1);
  connect();
});
