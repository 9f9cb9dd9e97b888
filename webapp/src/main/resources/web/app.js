'use strict';
// The Yinghuo browser UI. Rules: model output, document text and file names are only ever put into the page with
// textContent or by building elements; nothing from the server or a file is parsed as HTML.
(function () {
  const { t } = window.I18N;
  const $ = (id) => document.getElementById(id);
  const state = {
    documents: [],          // catalogue from GET /api/documents
    collections: [],        // knowledge bases from GET /api/collections
    collection: savedCollection(), // the chosen knowledge base: null = all, "" = the default one
    selected: new Set(),    // document ids chosen for questions (empty = all)
    uploads: new Map(),     // key -> {file, row, jobId}
    history: [],            // [{role, content}] of the conversation
    conversation: null,     // {id, created, turns: [{question, mode, answer, kind, sources}]}, kept in localStorage
    controller: null,       // AbortController of the running question
    model: null,
    limits: null,
    vectors: null,          // the vectors object of /api/health and the vectors events ({enabled: false} = none)
    latestProgress: new Map(), // job id -> newest ingestion event seen (events can beat the upload's response)
    events: null            // the EventSource of /api/ingest/events
  };

  function savedCollection() {
    try {
      const saved = JSON.parse(localStorage.getItem('yinghuo.collection'));
      return typeof saved === 'string' ? saved : null;
    } catch (e) {
      return null;
    }
  }

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key.startsWith('data-') || key.startsWith('aria-')) node.setAttribute(key, value);
        else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
        else node[key] = value;
      }
    }
    for (const child of children) {
      if (child != null) node.append(child);
    }
    return node;
  }

  function showError(message) {
    const box = $('global-error');
    box.textContent = message;
    box.hidden = !message;
  }

  async function api(path, options) {
    const response = await fetch(path, options);
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
      throw new Error(message);
    }
    return response.status === 204 ? null : response.json();
  }

  function formatSize(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + ' KB';
    return (bytes / 1024 / 1024).toFixed(1) + ' MB';
  }

  // ---------------------------------------------------------------- model and limits

  async function loadStatus() {
    try {
      const [model, health] = await Promise.all([api('/api/model'), api('/api/health')]);
      state.model = model;
      state.limits = health.upload;
      renderVectors(health.vectors);
      $('no-model-banner').hidden = model.loaded;
      $('model-status').textContent = model.loaded
          ? t('model.loaded', { name: model.name, ctx: model.context_length }) : t('model.none');
      $('upload-hint').textContent = t('upload.hint', {
        types: health.upload.types.join(', '), mb: Math.round(health.upload.max_file_bytes / 1048576) });
      document.querySelector('input[name=mode][value=chat]').disabled = !model.loaded;
    } catch (e) {
      showError(t('error.network', { msg: e.message }));
    }
  }

  // ---------------------------------------------------------------- documents

  async function loadDocuments() {
    const [body, collections] = await Promise.all([api('/api/documents'), api('/api/collections')]);
    state.documents = body.documents;
    state.collections = collections.collections;
    if (state.collection !== null && !state.collections.some((c) => c.name === state.collection)) {
      chooseCollection(null); // renamed or deleted elsewhere
    }
    renderCollections();
    const ids = new Set(body.documents.map((d) => d.id));
    for (const id of [...state.selected]) if (!ids.has(id)) state.selected.delete(id);
    renderDocuments();
  }

  // The library: filtered by name, sorted, and shown a page at a time, so a thousand documents stay quick to use.
  const DOCS_PAGE = 100;
  let docsShown = DOCS_PAGE;

  function inChosenCollection() {
    return state.collection === null ? state.documents
      : state.documents.filter((d) => d.collection === state.collection);
  }

  function visibleDocuments() {
    const needle = $('doc-filter').value.trim().toLowerCase();
    const scoped = inChosenCollection();
    const docs = needle ? scoped.filter((d) => d.file_name.toLowerCase().includes(needle)
        || (d.title || '').toLowerCase().includes(needle)) : scoped.slice();
    const by = {
      'date-desc': (a, b) => b.ingested_at - a.ingested_at,
      'date-asc': (a, b) => a.ingested_at - b.ingested_at,
      'name': (a, b) => a.file_name.localeCompare(b.file_name, window.I18N.lang === 'zh' ? 'zh-CN' : 'en'),
      'size-desc': (a, b) => b.size_bytes - a.size_bytes
    }[$('doc-sort').value];
    return by ? docs.sort(by) : docs;
  }

  function renderDocuments() {
    const tbody = $('doc-list');
    tbody.replaceChildren();
    const matching = visibleDocuments();
    for (const doc of matching.slice(0, docsShown)) {
      const check = el('input', { type: 'checkbox', checked: state.selected.has(doc.id), 'data-id': doc.id,
        title: doc.file_name, 'aria-label': t('docs.selectName', { name: doc.file_name }), onchange: (e) => {
          if (e.target.checked) state.selected.add(doc.id); else state.selected.delete(doc.id);
          renderScope();
        } });
      const original = '/api/documents/' + encodeURIComponent(doc.id) + '/original';
      tbody.append(el('tr', { 'data-id': doc.id, class: 'doc-row' },
          el('td', null, check),
          el('td', { class: 'doc-name', title: doc.title }, doc.file_name,
          state.collection === null && doc.collection
            ? el('span', { class: 'badge collection', text: doc.collection }) : null,
          state.vectors && state.vectors.enabled && doc.vectors === false
            ? el('span', { class: 'badge lexical-only', text: t('docs.lexicalOnly'),
              title: t('docs.lexicalOnlyHint') }) : null),
          el('td', { class: 'col-size', text: formatSize(doc.size_bytes) }),
          el('td', { class: 'col-pages', text: String(doc.pages) }),
          el('td', { class: 'col-chunks', text: String(doc.chunks) }),
          el('td', { class: 'doc-date col-date', text: formatDate(doc.ingested_at) }),
          el('td', { class: 'doc-actions' },
              el('a', { href: original, target: '_blank', rel: 'noopener', text: t('docs.preview'),
                'aria-label': t('docs.previewName', { name: doc.file_name }),
                onclick: (e) => previewDocument(e, doc) }),
              el('a', { href: original + '?download=1', text: t('docs.download'),
                'aria-label': t('docs.downloadName', { name: doc.file_name }) }),
              el('button', { type: 'button', class: 'link danger delete', text: t('docs.delete'),
                'aria-label': t('docs.deleteName', { name: doc.file_name }),
                onclick: () => deleteDocument(doc) }))));
    }
    const total = inChosenCollection().length;
    $('doc-empty').hidden = total > 0;
    $('doc-count').textContent = matching.length === total
      ? t(total === 1 ? 'docs.countOne' : 'docs.count', { n: total })
      : t('docs.countFiltered', { m: matching.length, n: total });
    const left = matching.length - Math.min(docsShown, matching.length);
    $('doc-more').hidden = left === 0;
    $('doc-more').textContent = t('docs.more', { n: Math.min(DOCS_PAGE, left), left });
    $('select-all').checked = state.selected.size === 0;
    renderScope();
  }

  function collectionName(name) {
    return name === '' ? t('kb.default') : name;
  }

  function renderScope() {
    $('scope').textContent = state.selected.size > 0 ? t('scope.some', { n: state.selected.size })
      : state.collection === null ? t('scope.all')
      : t('scope.collection', { name: collectionName(state.collection) });
    $('select-all').checked = state.selected.size === 0;
  }

  // ---------------------------------------------------------------- knowledge bases (collections)

  function chooseCollection(name) {
    state.collection = name;
    localStorage.setItem('yinghuo.collection', JSON.stringify(name));
    state.selected.clear(); // a selection from another knowledge base would leave nothing to search
    docsShown = DOCS_PAGE;
  }

  function renderCollections() {
    const select = $('collection');
    const options = [el('option', { value: '*', text: t('kb.all', { n: state.documents.length }) })];
    for (const c of state.collections) {
      options.push(el('option', { value: 'c:' + c.name,
        text: t('kb.option', { name: collectionName(c.name), n: c.documents }) }));
    }
    select.replaceChildren(...options);
    select.value = state.collection === null ? '*' : 'c:' + state.collection;
    const named = state.collection !== null && state.collection !== '';
    $('kb-rename').disabled = !named;
    $('kb-delete').disabled = !named;
    $('upload-target').textContent = t('kb.uploadTo', { name: collectionName(state.collection || '') });
  }

  function postJson(path, body) {
    return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body) });
  }

  async function newCollection() {
    const created = await dialog({ text: t('kb.newPrompt'), input: '', okLabel: t('kb.create'), danger: false,
      submit: (name) => postJson('/api/collections', { name }) });
    if (!created) return;
    chooseCollection(created.name);
    await loadDocuments().catch((e) => showError(e.message));
  }

  async function renameCollection() {
    const from = state.collection;
    const renamed = await dialog({ text: t('kb.renamePrompt', { name: from }), input: from,
      okLabel: t('kb.renameOk'), danger: false, submit: (to) => postJson('/api/collections/rename', { from, to }) });
    if (!renamed) return;
    chooseCollection(renamed.name);
    await loadDocuments().catch((e) => showError(e.message));
  }

  async function deleteCollection() {
    const name = state.collection;
    const count = state.documents.filter((d) => d.collection === name).length;
    const deleted = await dialog({ text: t('kb.confirmDelete', { name, n: count }), okLabel: t('confirm.delete'),
      submit: () => api('/api/collections?name=' + encodeURIComponent(name), { method: 'DELETE' }) });
    if (!deleted) return;
    chooseCollection(null);
    await loadDocuments().catch((e) => showError(e.message));
  }

  // An in-page dialog instead of window.confirm and window.prompt (which screen readers announce poorly, cannot be
  // styled or translated and block the page): focus moves to the text field or to Cancel, Tab stays inside, Escape
  // or Cancel says no, and focus returns to where it was. With `input` the user types a value; `submit(value)` runs
  // on OK, and an error it throws is shown inside the dialog, which stays open for a correction. Resolves to what
  // `submit` returned (true without one), or null when cancelled.
  function dialog({ text, okLabel, danger = true, input = null, submit = null }) {
    return new Promise((resolve) => {
      const box = $('confirm');
      const before = document.activeElement;
      const ok = $('confirm-ok');
      const cancel = $('confirm-cancel');
      const field = $('confirm-input');
      const error = $('confirm-error');
      $('confirm-text').textContent = text;
      ok.textContent = okLabel || t('confirm.delete');
      ok.classList.toggle('danger', danger);
      field.hidden = input === null;
      field.value = input || '';
      error.hidden = true;
      box.setAttribute('role', input === null ? 'alertdialog' : 'dialog');
      box.hidden = false;
      if (input === null) cancel.focus(); else { field.focus(); field.select(); }
      const done = (answer) => {
        box.hidden = true;
        ok.onclick = cancel.onclick = box.onkeydown = field.onkeydown = null;
        if (before && before.focus) before.focus();
        resolve(answer);
      };
      ok.onclick = async () => {
        if (!submit) { done(true); return; }
        ok.disabled = true;
        try {
          done((await submit(field.value)) || true);
        } catch (e) {
          error.textContent = e.message;
          error.hidden = false;
          (input === null ? cancel : field).focus();
        } finally {
          ok.disabled = false;
        }
      };
      cancel.onclick = () => done(null);
      field.onkeydown = (e) => {
        if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); ok.click(); }
      };
      box.onkeydown = (e) => {
        if (e.key === 'Escape') { e.stopPropagation(); done(null); }
        if (e.key === 'Tab') { // keep focus inside the dialog
          e.preventDefault();
          const items = [field, cancel, ok].filter((x) => !x.hidden);
          const at = items.indexOf(document.activeElement);
          items[(at + (e.shiftKey ? items.length - 1 : 1)) % items.length].focus();
        }
      };
    });
  }

  function confirmDialog(text) {
    return dialog({ text });
  }

  // A date in the page's language (not the browser's default locale), e.g. 2026/12/6 09:30 or Dec 6, 2026, 9:30 AM.
  function formatDate(millis) {
    return new Date(millis).toLocaleString(window.I18N.lang === 'zh' ? 'zh-CN' : 'en-US',
        { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  // Preview opens the viewer on the document's first page; a middle or modified click still opens the raw
  // original in a new tab, as the link says.
  function previewDocument(e, doc) {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    openPassage({ document_id: doc.id, file_name: doc.file_name, page: 1 }, e.currentTarget);
  }

  async function deleteDocument(doc) {
    if (!(await confirmDialog(t('docs.confirmDelete', { name: doc.file_name })))) return;
    try {
      await api('/api/documents/' + encodeURIComponent(doc.id), { method: 'DELETE' });
      state.selected.delete(doc.id);
      await loadDocuments();
    } catch (e) {
      showError(e.message);
    }
  }

  // ---------------------------------------------------------------- semantic index (vectors)

  // The background 语义索引: "语义索引 340/2191" with the state and the document being embedded, "语义索引完成" when
  // every chunk has its vector, or why it failed. Hidden without an embedding model (serve --no-vectors).
  function renderVectors(vectors) {
    const previous = state.vectors;
    state.vectors = vectors || { enabled: false };
    const line = $('vector-status');
    const v = state.vectors;
    if (!v.enabled || (v.documents_total === 0 && v.state !== 'failed')) {
      line.hidden = true;
    } else {
      const progress = t('vectors.progress', { done: v.chunks_done, total: v.chunks_total });
      let text;
      if (v.state === 'failed') text = progress + ' · ' + t('vectors.failed', { error: v.error });
      else if (v.complete && v.state !== 'loading') text = t('vectors.complete');
      else if (v.state === 'loading') text = progress + ' · ' + t('vectors.loading');
      else if (v.state === 'stopped') text = progress + ' · ' + t('vectors.stopped');
      else if (v.current_total > 0) {
        text = progress + ' · ' + t('vectors.current', { name: v.current_file_name || v.current_document,
          done: v.current_done, total: v.current_total });
      } else text = progress;
      line.textContent = text;
      line.dataset.state = v.state;
      line.dataset.complete = String(!!v.complete && v.state !== 'loading' && v.state !== 'failed');
      line.hidden = false;
    }
    // A document got its vectors (or the model changed): refresh the "keywords only" marks.
    const moved = !previous || previous.enabled !== v.enabled || previous.documents_done !== v.documents_done;
    if (moved && previous) loadDocuments().catch((e) => showError(e.message));
    else if (moved) renderDocuments();
  }

  // ---------------------------------------------------------------- uploads

  let uploadCounter = 0;

  // Each file goes to `collection` (a retry: where it first went), else to the chosen knowledge base.
  function addFiles(files, collection) {
    for (const file of files) {
      const key = 'u' + (++uploadCounter);
      const bar = el('progress', { max: 100, value: 0 });
      const stage = el('span', { class: 'stage', text: t('stage.uploading') });
      const message = el('span', { class: 'message' });
      const retry = el('button', { type: 'button', class: 'link retry', text: t('upload.retry'), hidden: true,
        onclick: () => { row.remove(); state.uploads.delete(key); addFiles([file], entry.collection); } });
      const dismiss = el('button', { type: 'button', class: 'link', text: t('upload.dismiss'),
        onclick: () => { row.remove(); state.uploads.delete(key); } });
      const row = el('li', { class: 'upload-item', 'data-name': file.name, 'data-stage': 'uploading' },
          el('span', { class: 'upload-name', text: file.name }), bar, stage, message, retry, dismiss);
      $('upload-list').prepend(row);
      const entry = { file, row, bar, stage, message, retry, jobId: null,
        collection: collection !== undefined ? collection : state.collection || '' };
      state.uploads.set(key, entry);
      upload(entry);
    }
  }

  function setStage(entry, stage, text, failed) {
    entry.row.dataset.stage = stage;
    entry.stage.textContent = t('stage.' + stage);
    entry.message.textContent = text || '';
    entry.retry.hidden = !failed;
    entry.row.classList.toggle('failed', !!failed);
    if (stage === 'done') entry.bar.value = 100;
  }

  // One request per file, so each file gets its own progress bar, error and retry.
  function upload(entry) {
    const form = new FormData();
    form.append('collection', entry.collection);
    form.append('files', entry.file, entry.file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/documents');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) entry.bar.value = Math.round(50 * e.loaded / e.total);
    };
    xhr.onerror = () => setStage(entry, 'failed', t('error.network', { msg: 'upload' }), true);
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 401) { location.href = '/login'; return; }
      // Retry is offered only where a retry can succeed: the server says so per file (retryable); a request that
      // failed as a whole (network, 5xx, 429) may succeed later.
      if (body && body.files && body.files[0] && !body.files[0].accepted) {
        const refused = body.files[0];
        setStage(entry, 'failed', refused.error.message, refused.retryable === true);
        return;
      }
      if (xhr.status !== 202 || !body || !body.files) {
        const msg = body && body.error ? body.error.message : 'HTTP ' + xhr.status;
        setStage(entry, 'failed', msg, xhr.status === 429 || xhr.status >= 500);
        return;
      }
      const result = body.files[0];
      entry.jobId = result.job_id;
      entry.bar.value = 50;
      onProgress(result.progress);
      // The job may have moved on (even finished) before this response arrived: its events were then dropped
      // because the job id was not known yet. Apply the newest event seen, then ask the server to be sure.
      const seen = state.latestProgress.get(result.job_id);
      if (seen) onProgress(seen);
      if (!['done', 'failed'].includes(entry.row.dataset.stage)) {
        api('/api/ingest/' + result.job_id).then(onProgress).catch(() => {});
      }
    };
    xhr.send(form);
  }

  const STAGE_PERCENT = { queued: 55, parsing: 65, chunking: 80, indexing: 90, done: 100, failed: 100 };

  function onProgress(progress) {
    const known = state.latestProgress.get(progress.job_id);
    if (!known || (STAGE_PERCENT[progress.stage] || 0) >= (STAGE_PERCENT[known.stage] || 0)) {
      state.latestProgress.set(progress.job_id, progress); // never step back to an older stage
    }
    for (const entry of state.uploads.values()) {
      if (entry.jobId !== progress.job_id || entry.row.dataset.stage === 'done'
          || entry.row.dataset.stage === 'failed') continue;
      entry.bar.value = STAGE_PERCENT[progress.stage] || entry.bar.value;
      if (progress.stage === 'done') {
        // The server's message is already in the page's language and says the outcome (内容未变…, 重复…).
        // Parts of the file that were not read (pages past the OCR cap, missing pages…) are said, never dropped.
        const notes = (progress.warnings || []).map((w) => w.message);
        setStage(entry, 'done', [progress.message || t('outcome.' + progress.outcome)].concat(notes).join(t('outcome.noteSeparator')),
            false);
        entry.row.classList.toggle('warned', notes.length > 0);
        loadDocuments().catch((e) => showError(e.message));
      } else if (progress.stage === 'failed') {
        setStage(entry, 'failed', progress.message, progress.retryable === true);
      } else {
        setStage(entry, progress.stage, '', false);
      }
    }
  }

  // The server writes the events' messages in the language of the connection's request (its cookie), so a change of
  // language reconnects.
  function watchIngestion() {
    if (state.events) state.events.close();
    const source = new EventSource('/api/ingest/events');
    state.events = source;
    source.addEventListener('progress', (e) => onProgress(JSON.parse(e.data)));
    source.addEventListener('vectors', (e) => renderVectors(JSON.parse(e.data)));
    // Catch up on jobs whose events were missed while reconnecting.
    source.onopen = () => {
      for (const entry of state.uploads.values()) {
        if (entry.jobId && !['done', 'failed'].includes(entry.row.dataset.stage)) {
          api('/api/ingest/' + entry.jobId).then(onProgress).catch(() => {});
        }
      }
    };
  }

  // ---------------------------------------------------------------- questions

  function settings() {
    const number = (id) => { const v = $(id).value.trim(); return v === '' ? undefined : Number(v); };
    return { sources: number('set-sources') || 5, temperature: number('set-temperature'),
      max_tokens: number('set-max-tokens'), context_length: number('set-context') };
  }

  function addMessage(role, text) {
    const body = el('div', { class: 'text', text: text });
    const box = el('div', { class: 'message ' + role },
        el('div', { class: 'who', text: role === 'user' ? t('chat.you') : t('chat.assistant') }), body);
    $('messages').append(box);
    box.scrollIntoView({ block: 'end' });
    return { box, body };
  }

  // Parses a text/event-stream body from fetch: calls onEvent(name, data) per event.
  async function readEvents(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length) onEvent(name, JSON.parse(data.join('\n')));
      }
    }
  }

  async function ask(question) {
    const mode = document.querySelector('input[name=mode]:checked').value;
    addMessage('user', question);
    const answer = addMessage('assistant', '');
    answer.box.classList.add('streaming');
    const status = el('div', { class: 'status', text: mode === 'chat' ? '' : t('chat.thinking') });
    answer.box.insertBefore(status, answer.body);
    const request = Object.assign({ question, mode, history: state.history.slice(),
      document_ids: [...state.selected], collections: state.collection === null ? [] : [state.collection] },
    settings());
    const controller = new AbortController();
    state.controller = controller;
    $('send').disabled = true;
    $('stop').hidden = false;
    let text = '';
    let finished = null;
    // Progress: the retrieved passages as soon as they are known, elapsed time until the first token, then tokens/s.
    const started = performance.now();
    let firstTokenAt = 0;
    let tokens = 0;
    let phase = status.textContent;
    let sourcesBox = null;
    const showSources = (sources) => {
      if (sourcesBox) sourcesBox.remove();
      sourcesBox = el('div', { class: 'answer-sources' });
      renderSources(sourcesBox, sources, mode);
      answer.box.append(sourcesBox);
    };
    const tick = () => {
      const now = performance.now();
      if (tokens > 0) {
        const seconds = Math.max(0.001, (now - firstTokenAt) / 1000);
        status.textContent = t('chat.speed', { n: tokens, rate: (tokens / seconds).toFixed(1) });
      } else if (phase) {
        status.textContent = phase + ' ' + t('chat.elapsed', { s: ((now - started) / 1000).toFixed(1) });
      }
    };
    const timer = setInterval(tick, 250);
    try {
      const response = await fetch('/api/ask', { method: 'POST', signal: controller.signal,
        headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
        body: JSON.stringify(request) });
      if (response.status === 401) { location.href = '/login'; return; }
      if (!response.ok) {
        let message = 'HTTP ' + response.status;
        try { message = (await response.json()).error.message; } catch (e) { /* not JSON */ }
        throw new Error(message);
      }
      await readEvents(response, (name, data) => {
        if (name === 'queued') phase = t('chat.queued', { n: data.ahead });
        else if (name === 'retrieved') {
          phase = mode === 'search' ? t('chat.searchDone', { n: data.sources.length })
              : t('chat.retrieved', { n: data.sources.length });
          if (data.sources.length) showSources(data.sources);
        } else if (name === 'token') {
          if (tokens === 0) firstTokenAt = performance.now();
          tokens++;
          text += data.text;
          answer.body.textContent = text;
          answer.box.scrollIntoView({ block: 'end' });
        } else if (name === 'done') finished = data;
        else if (name === 'error') throw new Error(data.error.message);
        tick();
      });
    } catch (e) {
      if (e.name === 'AbortError') {
        answer.body.textContent = text + t('chat.stopped');
        answer.box.classList.add('stopped');
      } else {
        answer.box.classList.add('failed');
        answer.body.textContent = text;
        answer.box.append(el('div', { class: 'error', text: e.message }));
      }
    } finally {
      clearInterval(timer);
      status.textContent = ''; // done, stopped or failed: the progress line goes; the sources shown so far stay
      state.controller = null;
      answer.box.classList.remove('streaming');
      $('send').disabled = false;
      $('stop').hidden = true;
    }
    if (finished) {
      if (mode === 'search') {
        status.textContent = t('chat.searchDone', { n: finished.sources.length });
        if (finished.sources.length === 0) answer.body.textContent = t('chat.noResults');
      } else if (finished.kind === 'evidence_only') {
        // The passages are the answer: shown once, in the list below, with one note instead of a second copy.
        answer.body.textContent = t('chat.evidence');
        answer.box.classList.add('evidence-only');
        state.history.push({ role: 'user', content: question }, { role: 'assistant', content: finished.answer });
      } else {
        answer.body.textContent = finished.answer;
        state.history.push({ role: 'user', content: question }, { role: 'assistant', content: finished.answer });
      }
      if (finished.sources && finished.sources.length) showSources(finished.sources);
      else if (sourcesBox) sourcesBox.remove();
      answer.box.dataset.done = 'true';
      remember({ question, mode, answer: finished.answer || '', kind: finished.kind, sources: finished.sources });
    } else if (text) {
      // stopped or failed half-way: keep what was shown in the conversation
      state.history.push({ role: 'user', content: question }, { role: 'assistant', content: text });
      remember({ question, mode, answer: text, kind: 'stopped', sources: [] });
    }
  }

  // ---------------------------------------------------------------- conversations (kept across reloads)

  const CONVERSATIONS_KEY = 'yinghuo.conversations';
  const MAX_CONVERSATIONS = 50;

  function savedConversations() {
    try {
      const list = JSON.parse(localStorage.getItem(CONVERSATIONS_KEY) || '[]');
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return []; // unreadable: start afresh rather than fail
    }
  }

  // A source as kept: what the list and the Markdown export show (not the whole passage).
  function keptSource(s) {
    return { number: s.number, cited: !!s.cited, file_name: s.file_name, page: s.page, document_id: s.document_id,
      start: s.start, end: s.end, text: (s.snippet && s.snippet.text) || (s.text || '').slice(0, 300),
      snippet: s.snippet ? { text: s.snippet.text, offset: 0, highlights: s.snippet.highlights || [] } : null };
  }

  function remember(turn) {
    if (!state.conversation) state.conversation = { id: String(Date.now()), created: Date.now(), turns: [] };
    state.conversation.turns.push(Object.assign({}, turn, { sources: (turn.sources || []).map(keptSource) }));
    const others = savedConversations().filter((c) => c.id !== state.conversation.id);
    const list = [state.conversation].concat(others).slice(0, MAX_CONVERSATIONS);
    try {
      localStorage.setItem(CONVERSATIONS_KEY, JSON.stringify(list));
    } catch (e) { // storage full: drop the oldest and try once more
      try { localStorage.setItem(CONVERSATIONS_KEY, JSON.stringify(list.slice(0, Math.ceil(list.length / 2)))); }
      catch (e2) { /* keep it in memory only */ }
    }
    renderConversationList();
  }

  function showConversation(conversation) {
    state.conversation = conversation;
    state.history = [];
    $('messages').replaceChildren();
    if (!conversation) { renderConversationList(); return; }
    for (const turn of conversation.turns) {
      addMessage('user', turn.question);
      const answer = addMessage('assistant', turn.kind === 'evidence_only' ? t('chat.evidence') : turn.answer);
      renderSources(answer.box, turn.sources, turn.mode);
      answer.box.dataset.done = 'true';
      state.history.push({ role: 'user', content: turn.question }, { role: 'assistant', content: turn.answer });
    }
    renderConversationList();
  }

  function renderConversationList() {
    const select = $('conversations');
    select.setAttribute('aria-label', t('chat.historyLabel'));
    const list = savedConversations();
    const current = state.conversation ? state.conversation.id : '';
    select.replaceChildren(el('option', { value: '', text: t('chat.history', { n: list.length }) }));
    for (const c of list) {
      const title = (c.turns[0] ? c.turns[0].question : '').slice(0, 30);
      select.append(el('option', { value: c.id, text: formatDate(c.created) + ' · ' + title }));
    }
    select.value = list.some((c) => c.id === current) ? current : '';
    $('export-chat').disabled = !state.conversation || state.conversation.turns.length === 0;
  }

  // The conversation as Markdown: each question and answer, then the passages it cited (or found) as [n] file, page.
  function conversationMarkdown(conversation) {
    const lines = ['# ' + t('chat.exportTitle') + ' ' + formatDate(conversation.created), ''];
    for (const turn of conversation.turns) {
      lines.push('**' + t('chat.you') + '：** ' + turn.question, '');
      lines.push('**' + t('chat.assistant') + '：** ' + turn.answer, '');
      const cited = turn.sources.filter((s) => s.cited);
      for (const s of cited.length ? cited : turn.sources) {
        lines.push('- [' + s.number + '] ' + s.file_name + ' · ' + t('chat.page', { p: s.page }) + '：'
            + s.text.replace(/\s+/g, ' '));
      }
      lines.push('');
    }
    return lines.join('\n');
  }

  function exportConversation() {
    if (!state.conversation) return;
    const link = $('export-link');
    link.href = 'data:text/markdown;charset=utf-8,' + encodeURIComponent(conversationMarkdown(state.conversation));
    link.download = 'yinghuo-' + state.conversation.id + '.md';
    link.click();
  }

  function renderSources(box, sources, mode) {
    if (!sources || sources.length === 0) return;
    const cited = sources.filter((s) => s.cited);
    const shown = mode === 'search' || cited.length === 0 ? sources : cited;
    const others = mode === 'search' || cited.length === 0 ? [] : sources.filter((s) => !s.cited);
    // Only passages the answer cites are its sources; when it cites none (search mode, evidence only, or a model
    // that gave no [n]) they are what retrieval found, and are labelled so.
    const title = cited.length === 0 || mode === 'search' ? t('chat.retrievedPassages') : t('chat.sources');
    box.append(sourceList(title, shown, 'citations'));
    if (others.length) {
      const more = el('details', { class: 'more-sources' }, el('summary', { text: t('chat.otherSources') }));
      more.append(sourceList(null, others, 'citations other'));
      box.append(more);
    }
  }

  function sourceList(title, sources, cls) {
    const list = el('ol', { class: cls });
    for (const source of sources) {
      const where = el('span', { class: 'where' },
          el('span', { class: 'num', text: '[' + source.number + '] ' }),
          el('span', { class: 'file', text: source.file_name }),
          el('span', { class: 'page', text: ' · ' + t('chat.page', { p: source.page }) }));
      const item = el('li', { class: 'citation', tabIndex: 0, 'data-doc': source.document_id,
        onclick: (e) => openPassage(source, e.currentTarget),
        onkeydown: (e) => { if (e.key === 'Enter') openPassage(source, e.currentTarget); } },
      where, snippet(source));
      list.append(item);
    }
    if (!title) return list;
    return el('div', { class: 'sources' }, el('div', { class: 'sources-title', text: title }), list);
  }

  // The snippet with its matches in <mark>, built from the raw text and the highlight offsets (the passage shape of
  // /api/search and /api/ask: snippet {text, offset, highlights}); "…" where the snippet cuts the passage.
  function snippet(source) {
    const box = el('div', { class: 'snippet' });
    const s = source.snippet;
    if (!s) { box.textContent = source.text; return box; }
    if (s.offset > 0) box.append(document.createTextNode('…'));
    let at = 0;
    for (const [start, end] of s.highlights) {
      box.append(document.createTextNode(s.text.slice(at, start)), el('mark', { text: s.text.slice(start, end) }));
      at = end;
    }
    box.append(document.createTextNode(s.text.slice(at)));
    if (s.offset + s.text.length < source.text.length) box.append(document.createTextNode('…'));
    return box;
  }

  // ---------------------------------------------------------------- passage in its document

  // The viewer (viewer.js, an ES module) is loaded on first use: with it pdf.js, only when a PDF is opened.
  function openPassage(source, from) {
    import('/viewer.js').then((viewer) => viewer.open(source, from)).catch((e) => showError(e.message));
  }

  // ---------------------------------------------------------------- wiring

  // ---------------------------------------------------------------- tabs (below 1000 px: one panel at a time)

  // The WAI-ARIA tabs pattern: the selected tab is the one tab stop; arrow keys, Home and End move between tabs and
  // show their panel. On wide windows the tab list is hidden by the style sheet and both panels are shown.
  function selectTab(tab, focus) {
    const tabs = [...document.querySelectorAll('[role=tab]')];
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute('aria-selected', String(on));
      other.tabIndex = on ? 0 : -1;
    }
    $('layout').dataset.tab = tab.id === 'tab-chat' ? 'chat' : 'docs';
    if (focus) tab.focus();
  }

  function wireTabs() {
    const tabs = [...document.querySelectorAll('[role=tab]')];
    for (const tab of tabs) {
      tab.addEventListener('click', () => selectTab(tab, false));
      tab.addEventListener('keydown', (e) => {
        const at = tabs.indexOf(tab);
        let next = null;
        if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = tabs[(at + 1) % tabs.length];
        else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = tabs[(at - 1 + tabs.length) % tabs.length];
        else if (e.key === 'Home') next = tabs[0];
        else if (e.key === 'End') next = tabs[tabs.length - 1];
        if (next) { e.preventDefault(); selectTab(next, true); }
      });
    }
  }

  function init() {
    window.I18N.apply();
    wireTabs();
    $('lang').addEventListener('click', () => {
      window.I18N.toggle();
      renderCollections();
      renderDocuments();
      renderConversationList();
      renderVectors(state.vectors);
      loadStatus();
      watchIngestion();
    });
    const drop = $('dropzone');
    const input = $('file-input');
    drop.addEventListener('click', (e) => { if (e.target !== input) input.click(); });
    drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') input.click(); });
    input.addEventListener('change', () => { addFiles([...input.files]); input.value = ''; });
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      addFiles([...e.dataTransfer.files]);
    });
    $('select-all').addEventListener('change', () => { state.selected.clear(); renderDocuments(); });
    $('doc-filter').addEventListener('input', () => { docsShown = DOCS_PAGE; renderDocuments(); });
    $('doc-sort').addEventListener('change', () => { docsShown = DOCS_PAGE; renderDocuments(); });
    $('doc-more').addEventListener('click', () => { docsShown += DOCS_PAGE; renderDocuments(); });
    $('collection').addEventListener('change', () => {
      const value = $('collection').value;
      chooseCollection(value === '*' ? null : value.slice(2));
      renderCollections();
      renderDocuments();
    });
    $('kb-new').addEventListener('click', newCollection);
    $('kb-rename').addEventListener('click', renameCollection);
    $('kb-delete').addEventListener('click', deleteCollection);
    $('ask-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const question = $('question').value.trim();
      if (!question || state.controller) return;
      $('question').value = '';
      ask(question);
    });
    $('question').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        $('ask-form').requestSubmit();
      }
    });
    $('stop').addEventListener('click', () => { if (state.controller) state.controller.abort(); });
    $('new-chat').addEventListener('click', () => {
      if (state.controller) state.controller.abort();
      showConversation(null);
    });
    $('conversations').addEventListener('change', () => {
      if (state.controller) return;
      showConversation(savedConversations().find((c) => c.id === $('conversations').value) || null);
    });
    $('export-chat').addEventListener('click', exportConversation);
    showConversation(savedConversations()[0] || null); // the last conversation, as it was before the reload
    loadStatus();
    loadDocuments().catch((e) => showError(e.message));
    watchIngestion();
  }

  init();
})();
