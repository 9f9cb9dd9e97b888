// The document viewer: a cited passage shown in its document. PDFs are drawn page by page by pdf.js (served from
// our own jar under /vendor/pdfjs/, loaded only when a PDF is opened) with the passage highlighted on the page;
// every other format is shown as its parsed text (decoded as ingestion decoded it, headings as headings) with the
// passage marked. Same rule as app.js: document text and file names reach the page only through textContent or
// built elements, never as HTML.
const { t } = window.I18N;
const $ = (id) => document.getElementById(id);

const PDFJS = '/vendor/pdfjs/';
const ZOOMS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3, 4];
const TEXT_WINDOW = 20000;   // the most characters GET /api/documents/{id}/text returns at once
const TEXT_LEAD = 6000;      // characters shown before the passage
const SPREAD = 3;            // a passage may run on over this many pages after the one it starts on
const FIRST_RUN = 6;         // matched characters that anchor a passage on a page (fewer could match by chance)
const NEXT_RUN = 3;          // ... and that continue it once anchored
const MAX_GAP = 400;         // page characters a continuation may skip (running headers, footnote marks)

// CJK radicals and the ideographs drawn with the same glyph, as pairs. PDF writers that name glyphs from the font's
// character map (Chromium's printing, for one) write such a glyph as its radical (⻰ for 龙, ⻔ for 门), while our
// parser reads the ideograph. Derived from Noto Sans CJK's character map (radicals of U+2E80–2EFF sharing a glyph
// with an ideograph); the Kangxi radicals (U+2F00–2FDF) are mapped by NFKC.
const RADICALS = new Map(pairs('⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫'
  + '⺦丬⺨犭⺩𤣩⺫罒⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺽𦥑⺾艹⺿艹⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶⻎辶⻐钅⻑長⻒镸'
  + '⻓长⻔门⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟'));

function pairs(text) {
  const chars = [...text];
  const out = [];
  for (let i = 0; i + 1 < chars.length; i += 2) out.push([chars[i], chars[i + 1]]);
  return out;
}

let view = null;             // the open document (see open)
let pdfjs = null;            // promise of the pdf.js module
let worker = null;           // one pdf.js worker for the page's life: later PDFs open without starting another

// ---------------------------------------------------------------- opening and closing

/**
 * Opens the viewer on `source` ({document_id, file_name, page, start, end}: a citation of /api/ask or /api/search;
 * without start/end a document is shown from its first page). `from` gets the focus back on closing.
 */
export async function open(source, from) {
  close(false);
  const started = performance.now();
  const v = view = { source, from, started, kind: isPdf(source.file_name) ? 'pdf' : 'text', zoom: 'fit',
    hits: new Map(), boxes: new Map(), renderGen: 0, renderTask: null, pdf: null };
  const dialog = $('passage');
  dialog.dataset.state = 'loading';
  delete dialog.dataset.firstPageMs;
  delete dialog.dataset.highlighted;
  $('passage-title').textContent = source.file_name + (source.page ? ' · ' + t('chat.page', { p: source.page }) : '');
  $('passage-original').href = documentUrl(source.document_id, '/original');
  $('passage-text').replaceChildren(document.createTextNode(t('passage.loading')));
  $('passage-text').hidden = false;
  $('viewer-pagebox').hidden = true;
  $('viewer-pagebox').replaceChildren();
  $('viewer-tools').hidden = true;
  $('viewer-earlier').hidden = $('viewer-later').hidden = true;
  status('');
  dialog.hidden = false;
  $('viewer-body').focus();
  wire();
  const passage = hasRange(source) ? passageOf(source) : Promise.resolve(null);
  if (v.kind === 'pdf') {
    try {
      await showPdf(v, passage);
      return;
    } catch (e) {
      if (view !== v) return;
      status(t('viewer.pdfFailed', { msg: e.message || String(e) }));
      v.kind = 'text';
    }
  }
  try {
    v.passage = await passage;
    if (view === v) await showText(v);
  } catch (e) {
    if (view === v) $('passage-text').textContent = e.message;
  }
}

/** Closes the viewer; focus goes back to where it was when it opened unless `restore` is false. */
export function close(restore = true) {
  const v = view;
  view = null;
  $('passage').hidden = true;
  delete $('passage').dataset.highlighted;
  if (!v) return;
  if (v.renderTask) v.renderTask.cancel();
  if (v.loading) v.loading.destroy().catch(() => {});
  if (restore && v.from && v.from.focus) v.from.focus();
}

function hasRange(source) {
  return Number.isInteger(source.start) && Number.isInteger(source.end) && source.end > source.start;
}

function isPdf(name) {
  return /\.pdf$/i.test(name || '');
}

function documentUrl(id, tail) {
  return '/api/documents/' + encodeURIComponent(id) + tail;
}

async function api(path) {
  const response = await fetch(path);
  if (response.status === 401) {
    location.href = '/login';
    throw new Error('401');
  }
  if (!response.ok) {
    let message = 'HTTP ' + response.status;
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch (e) { /* not JSON */ }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

function status(message) {
  const line = $('viewer-status');
  line.textContent = message;
  line.hidden = !message;
}

/** The cited characters exactly as indexed (a kept conversation holds only a snippet of them). */
async function passageOf(source) {
  const range = await api(documentUrl(source.document_id, '/text?start=' + source.start + '&end=' + source.end));
  // ocr_pages: the pages the server keeps OCR word boxes for; no other page is asked for boxes
  return { start: source.start, end: source.end, page: source.page || 1, text: range.text,
    chars: normalise(range.text).chars, ocrPages: new Set(range.ocr_pages || []) };
}

// ---------------------------------------------------------------- the dialog's keys and buttons

let wired = false;

function wire() {
  if (wired) return;
  wired = true;
  const dialog = $('passage');
  $('passage-close').addEventListener('click', () => close());
  $('viewer-prev').addEventListener('click', () => turn(-1));
  $('viewer-next').addEventListener('click', () => turn(1));
  $('viewer-zoom-in').addEventListener('click', () => zoom(1));
  $('viewer-zoom-out').addEventListener('click', () => zoom(-1));
  $('viewer-fit').addEventListener('click', () => zoom(0));
  $('viewer-earlier').addEventListener('click', () => moreText(-1));
  $('viewer-later').addEventListener('click', () => moreText(1));
  const input = $('viewer-page');
  input.addEventListener('change', () => goTo(parseInt(input.value, 10)));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); goTo(parseInt(input.value, 10)); }
  });
  dialog.addEventListener('keydown', onKey);
  let resized = null;
  window.addEventListener('resize', () => {
    clearTimeout(resized);
    resized = setTimeout(() => { if (view && view.pdf && view.zoom === 'fit') renderPage(view, view.pageNum); }, 150);
  });
}

// Escape closes; Tab stays inside the dialog (it is modal); in a PDF, PageUp/PageDown turn pages and +, - and 0
// zoom, except while typing a page number.
function onKey(e) {
  if (e.key === 'Escape') { e.stopPropagation(); close(); return; }
  if (e.key === 'Tab') { trapTab(e); return; }
  if (!view || !view.pdf || e.target === $('viewer-page') || e.altKey || e.ctrlKey || e.metaKey) return;
  const actions = { PageDown: () => turn(1), PageUp: () => turn(-1), '+': () => zoom(1), '=': () => zoom(1),
    '-': () => zoom(-1), '0': () => zoom(0) };
  if (actions[e.key]) { e.preventDefault(); actions[e.key](); }
}

function trapTab(e) {
  const items = [...$('passage').querySelectorAll('a[href], button, input, [tabindex="0"]')]
    .filter((x) => !x.disabled && x.getClientRects().length > 0);
  if (items.length === 0) return;
  e.preventDefault();
  const at = items.indexOf(document.activeElement);
  const next = at < 0 ? 0 : (at + (e.shiftKey ? items.length - 1 : 1)) % items.length;
  items[next].focus();
}

// ---------------------------------------------------------------- PDF

function loadPdfJs() {
  if (!pdfjs) {
    pdfjs = import(PDFJS + 'pdf.min.mjs').then((lib) => {
      lib.GlobalWorkerOptions.workerSrc = PDFJS + 'pdf.worker.min.mjs';
      return lib;
    });
    pdfjs.catch(() => { pdfjs = null; }); // try again on the next PDF
  }
  return pdfjs;
}

async function showPdf(v, passage) {
  const lib = await loadPdfJs();
  if (!worker) worker = new lib.PDFWorker();
  // The page's CSP forbids eval, which pdf.js would otherwise try for faster font drawing.
  v.loading = lib.getDocument({ url: documentUrl(v.source.document_id, '/original'), worker,
    cMapUrl: PDFJS + 'cmaps/', cMapPacked: true, isEvalSupported: false });
  v.lib = lib;
  const [pdf, cited] = await Promise.all([v.loading.promise, passage.catch(() => null)]);
  if (view !== v) { pdf.destroy(); return; }
  v.pdf = pdf;
  v.passage = cited;
  $('passage-text').hidden = true;
  $('viewer-pagebox').hidden = false;
  $('viewer-tools').hidden = false;
  $('viewer-count').textContent = '/ ' + pdf.numPages;
  $('viewer-page').max = String(pdf.numPages);
  await renderPage(v, clamp(v.source.page || 1, 1, pdf.numPages));
}

function clamp(n, low, high) {
  return Math.min(high, Math.max(low, n));
}

function turn(step) {
  if (view && view.pdf) goTo(view.pageNum + step);
}

function goTo(n) {
  if (!view || !view.pdf || !Number.isFinite(n)) return;
  renderPage(view, clamp(n, 1, view.pdf.numPages));
}

// Zoom in (1), out (-1) or to the body's width (0): the next step of ZOOMS from the scale shown now.
function zoom(direction) {
  const v = view;
  if (!v || !v.pdf) return;
  if (direction === 0) v.zoom = 'fit';
  else if (direction > 0) v.zoom = ZOOMS.find((z) => z > v.scale + 0.01) || ZOOMS[ZOOMS.length - 1];
  else v.zoom = [...ZOOMS].reverse().find((z) => z < v.scale - 0.01) || ZOOMS[0];
  renderPage(v, v.pageNum);
}

function fitScale(pageWidth) {
  const body = $('viewer-body');
  return clamp((body.clientWidth - 24) / pageWidth, 0.25, 4);
}

/**
 * Draws page `n`: the canvas, then pdf.js's text layer (transparent text over the drawing, so the page can be
 * searched and selected), then the highlight. A newer call (page turned, zoom changed) wins over an older one.
 */
async function renderPage(v, n) {
  const gen = ++v.renderGen;
  v.pageNum = n;
  updateTools(v);
  const page = await v.pdf.getPage(n);
  if (gen !== v.renderGen || view !== v) return;
  const scale = v.zoom === 'fit' ? fitScale(page.getViewport({ scale: 1 }).width) : v.zoom;
  v.scale = scale;
  $('viewer-zoom').textContent = Math.round(scale * 100) + '%';
  const viewport = page.getViewport({ scale });
  const sheet = pageSheet(viewport, n);
  const canvas = sheet.querySelector('canvas');
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  if (v.renderTask) v.renderTask.cancel();
  const task = v.renderTask = page.render({ canvasContext: canvas.getContext('2d'), viewport,
    transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0] });
  const content = page.getTextContent();
  try {
    await task.promise;
  } catch (e) {
    if (e && e.name === 'RenderingCancelledException') return;
    throw e;
  }
  if (gen !== v.renderGen || view !== v) return;
  $('viewer-pagebox').replaceChildren(sheet);
  $('passage').dataset.state = 'ready';
  if (!$('passage').dataset.firstPageMs) {
    $('passage').dataset.firstPageMs = String(Math.round(performance.now() - v.started));
  }
  const layer = new v.lib.TextLayer({ textContentSource: await content, container: sheet.querySelector('.textLayer'),
    viewport });
  await layer.render();
  if (gen !== v.renderGen || view !== v) return;
  await highlightPage(v, n, layer, sheet, viewport);
}

function pageSheet(viewport, n) {
  const sheet = document.createElement('div');
  sheet.className = 'pdf-page';
  sheet.dataset.page = String(n);
  sheet.style.width = viewport.width + 'px';
  sheet.style.height = viewport.height + 'px';
  // pdf.js's text layer sizes its text by this variable
  sheet.style.setProperty('--scale-factor', String(viewport.scale));
  const canvas = document.createElement('canvas');
  canvas.style.width = viewport.width + 'px';
  canvas.style.height = viewport.height + 'px';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('chat.page', { p: n }));
  const text = document.createElement('div');
  text.className = 'textLayer';
  const boxes = document.createElement('div');
  boxes.className = 'box-layer';
  sheet.append(canvas, text, boxes);
  return sheet;
}

function updateTools(v) {
  $('viewer-page').value = String(v.pageNum);
  $('viewer-prev').disabled = v.pageNum <= 1;
  $('viewer-next').disabled = v.pageNum >= v.pdf.numPages;
  $('passage-title').textContent = v.source.file_name + ' · ' + t('chat.page', { p: v.pageNum });
}

// ---------------------------------------------------------------- the highlight on a PDF page

/**
 * Marks the cited passage on page `n`: from the server's OCR word boxes when it has them for the page (a scan has
 * no text layer to match), otherwise by matching the passage against the page's text layer.
 */
async function highlightPage(v, n, layer, sheet, viewport) {
  const p = v.passage;
  $('passage').dataset.highlighted = 'false';
  if (!p || n < p.page || n > p.page + SPREAD) { status(''); return; }
  const boxes = p.ocrPages.has(n) ? await pageBoxes(v, n) : null;
  if (view !== v || v.pageNum !== n) return;
  let first = null;
  if (boxes) {
    first = drawBoxes(sheet.querySelector('.box-layer'), boxes, p, viewport);
  } else {
    const hit = await pageHit(v, n, layer.textContentItemsStr);
    if (view !== v || v.pageNum !== n) return;
    first = hit ? markItems(layer.textDivs, hit.spans) : null;
  }
  status(first || n !== p.page ? '' : t('viewer.notFound'));
  if (first) first.scrollIntoView({ block: 'center', inline: 'nearest' });
  $('passage').dataset.highlighted = String(!!first);
}

async function pageBoxes(v, n) {
  if (!v.boxes.has(n)) {
    v.boxes.set(n, api(documentUrl(v.source.document_id, '/pages/' + n + '/boxes')).catch(() => null));
  }
  const found = await v.boxes.get(n);
  return found && Array.isArray(found.words) && found.words.length && found.width > 0 ? found : null;
}

/**
 * The boxes of the words overlapping the passage, as highlight rectangles in `layer`. A word only partly inside
 * the passage gets the matching share of its box (OCR words of CJK text are runs of equally wide characters).
 * Box coordinates are in the page's own unit from its top-left corner; the page's size in that unit gives the
 * scale. Returns the first rectangle.
 */
export function drawBoxes(layer, boxes, passage, viewport) {
  const sx = viewport.width / boxes.width;
  const sy = viewport.height / boxes.height;
  let first = null;
  for (const w of boxes.words) {
    const a = Math.max(w.start, passage.start);
    const b = Math.min(w.end, passage.end);
    if (a >= b || w.end <= w.start) continue;
    const share = (x) => w.x + w.w * (x - w.start) / (w.end - w.start);
    const box = document.createElement('div');
    box.className = 'cited-box';
    box.style.left = (share(a) * sx) + 'px';
    box.style.top = (w.y * sy) + 'px';
    box.style.width = ((share(b) - share(a)) * sx) + 'px';
    box.style.height = (w.h * sy) + 'px';
    layer.append(box);
    first = first || box;
  }
  return first;
}

/**
 * Where the passage lies on page `n` of the PDF: for the page it starts on, matched from its beginning; for the
 * pages after, what the pages before left over (a passage runs on over a page break).
 */
async function pageHit(v, n, items) {
  const p = v.passage;
  if (!v.hits.has(n)) {
    v.hits.set(n, (async () => {
      const before = n === p.page ? { consumed: 0 } : await pageHit(v, n - 1, null);
      if (!before || p.chars.length - before.consumed < NEXT_RUN) return null;
      const strings = items || await pageStrings(v, n);
      return locate(strings, p.chars, before.consumed);
    })());
  }
  return v.hits.get(n);
}

async function pageStrings(v, n) {
  const page = await v.pdf.getPage(n);
  const content = await page.getTextContent();
  return content.items.filter((item) => item.str !== undefined).map((item) => item.str);
}

/** Wraps the matched characters of each text-layer span in <mark class="cited">; returns the first mark. */
function markItems(divs, spans) {
  let first = null;
  const byItem = new Map();
  for (const s of spans) {
    if (!byItem.has(s.item)) byItem.set(s.item, []);
    byItem.get(s.item).push(s);
  }
  for (const [item, ranges] of byItem) {
    const div = divs[item];
    if (!div) continue;
    const text = div.textContent;
    const parts = [];
    let at = 0;
    for (const r of ranges) {
      parts.push(document.createTextNode(text.slice(at, r.start)));
      const mark = document.createElement('mark');
      mark.className = 'cited';
      mark.textContent = text.slice(r.start, r.end);
      parts.push(mark);
      first = first || mark;
      at = r.end;
    }
    parts.push(document.createTextNode(text.slice(at)));
    div.replaceChildren(...parts);
  }
  return first;
}

// ---------------------------------------------------------------- matching our text to pdf.js's text

/**
 * The characters of `pieces` that matter for matching, with where each came from: each character is normalised
 * (NFKC: full-width forms, ligatures, compatibility ideographs, Kangxi radicals; then RADICALS) and whitespace is
 * dropped, because our parser and pdf.js break lines and space CJK text differently (and the OCR text is joined
 * without spaces).
 * `at[i]` = [piece, start, end]: character i came from pieces[piece].slice(start, end).
 */
export function normalise(...pieces) {
  let chars = '';
  const at = [];
  pieces.forEach((piece, index) => {
    let offset = 0;
    for (const ch of piece) {
      for (const c of (RADICALS.get(ch) || ch).normalize('NFKC')) {
        if (!/[\s\u200b-\u200d\u2060\ufeff\u00ad]/u.test(c)) {
          chars += c;
          at.push([index, offset, offset + ch.length]);
        }
      }
      offset += ch.length;
    }
  });
  return { chars, at };
}

/**
 * Finds `passage` (normalised characters; from index `from` on) in a page's text items (pdf.js's strings, in
 * the order of its text layer). Greedy, left to right: the longest run of the passage found on the page anchors it
 * (at least FIRST_RUN characters, so a few common characters cannot match by chance), then each following run
 * must lie a little further on (within MAX_GAP page characters: running headers and footnote marks the parser
 * left out are skipped). Passage characters not on the page (changed by the parser or OCR clean-up, or on the next
 * page) are skipped. Returns the matched character ranges per item and how far into the passage the page got.
 */
export function locate(items, passage, from = 0) {
  const page = normalise(...items);
  const runs = [];
  let pos = 0;
  let i = from;
  let consumed = from;
  while (i < passage.length) {
    const anchored = runs.length > 0;
    const need = Math.min(anchored ? NEXT_RUN : FIRST_RUN, passage.length - i);
    const [at, length] = longestRun(page.chars, passage, i, pos, anchored ? MAX_GAP : Infinity);
    if (length >= need && length > 0) {
      runs.push([at, at + length]);
      pos = at + length;
      i += length;
      consumed = i;
    } else {
      i++;
    }
  }
  return { spans: itemRanges(page.at, runs), consumed };
}

/** The longest prefix of passage[i..] found in `hay` at or after `pos` (no further than `gap` after it). */
function longestRun(hay, passage, i, pos, gap) {
  const found = (length) => {
    const at = hay.indexOf(passage.substr(i, length), pos);
    return at >= 0 && at - pos <= gap ? at : -1;
  };
  // If a prefix occurs, every shorter one occurs no later: the longest is found by bisection.
  let low = 0;
  let high = passage.length - i;
  let where = -1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    const at = found(mid);
    if (at >= 0) { low = mid; where = at; } else high = mid - 1;
  }
  return [where, low];
}

/** Normalised character runs back to [item, start, end) ranges of the items' own strings, merged per item. */
function itemRanges(at, runs) {
  const spans = [];
  for (const [a, b] of runs) {
    for (let k = a; k < b; k++) {
      const [item, start, end] = at[k];
      const last = spans[spans.length - 1];
      if (last && last.item === item && last.end >= start) last.end = Math.max(last.end, end);
      else spans.push({ item, start, end });
    }
  }
  return spans;
}

// ---------------------------------------------------------------- text formats

/** The parsed text around the passage (or from the start), with the passage marked and scrolled into view. */
async function showText(v) {
  const around = v.passage ? v.passage.start : 0;
  const from = Math.max(0, around - TEXT_LEAD);
  const range = await api(documentUrl(v.source.document_id, '/text?start=' + from + '&end=' + (from + TEXT_WINDOW)));
  if (view !== v) return;
  v.text = { start: range.start, end: range.end, total: range.total_chars, text: range.text,
    headings: range.headings || [] };
  renderText(v);
  $('passage').dataset.state = 'ready';
  const mark = $('passage-text').querySelector('mark.cited');
  if (mark) mark.scrollIntoView({ block: 'center' });
  $('passage').dataset.highlighted = String(!!mark);
}

/** Loads the text before (-1) or after (1) what is shown, keeping what the reader looks at in place. */
async function moreText(direction) {
  const v = view;
  if (!v || !v.text) return;
  const s = v.text;
  const from = direction < 0 ? Math.max(0, s.start - TEXT_WINDOW) : s.end;
  const to = direction < 0 ? s.start : Math.min(s.total, s.end + TEXT_WINDOW);
  const range = await api(documentUrl(v.source.document_id, '/text?start=' + from + '&end=' + to));
  if (view !== v) return;
  const body = $('viewer-body');
  const height = body.scrollHeight;
  const headings = [...s.headings, ...(range.headings || [])]
    .filter((h, k, all) => all.findIndex((x) => x.start === h.start) === k);
  v.text = direction < 0
    ? { start: range.start, end: s.end, total: s.total, text: range.text + s.text, headings }
    : { start: s.start, end: range.end, total: s.total, text: s.text + range.text, headings };
  renderText(v);
  if (direction < 0) body.scrollTop += body.scrollHeight - height;
}

/**
 * One element per line: headings as h4–h6 (by level), other lines as div.line, the passage's characters in
 * <mark class="cited"> (one per line it touches).
 */
function renderText(v) {
  const s = v.text;
  const headings = new Map(s.headings.map((h) => [h.start, h]));
  const lines = [];
  let lineStart = s.start;
  for (const line of s.text.split('\n')) {
    const heading = headings.get(lineStart);
    const node = document.createElement(heading ? 'h' + Math.min(6, heading.level + 3) : 'div');
    node.className = heading ? 'text-heading' : 'line';
    appendMarked(node, line, lineStart, v.passage);
    lines.push(node);
    lineStart += line.length + 1;
  }
  $('passage-text').replaceChildren(...lines);
  $('viewer-earlier').hidden = s.start <= 0;
  $('viewer-later').hidden = s.end >= s.total;
}

function appendMarked(node, line, offset, passage) {
  const a = passage ? clamp(passage.start - offset, 0, line.length) : line.length;
  const b = passage ? clamp(passage.end - offset, 0, line.length) : line.length;
  node.append(document.createTextNode(line.slice(0, a)));
  if (b > a) {
    const mark = document.createElement('mark');
    mark.className = 'cited';
    mark.textContent = line.slice(a, b);
    node.append(mark);
  }
  node.append(document.createTextNode(line.slice(b)));
}
