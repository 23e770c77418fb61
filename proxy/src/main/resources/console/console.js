// The Switchboard console: live state from the admin API, Test connection, and a side-by-side
// playground. Plain browser modules, no build step. The admin token (when the gateway has one)
// lives in this tab's sessionStorage and travels as a header, so live updates use fetch.
const REFRESH_MS = 2000;
const $ = (id) => document.getElementById(id);
let status = null;
let timer = null;

function token() {
  return sessionStorage.getItem('switchboard-admin-token') || '';
}

function headers(extra = {}) {
  const h = { ...extra };
  if (token()) h.authorization = 'Bearer ' + token();
  return h;
}

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: headers(options.headers || {}) });
  if (res.status === 401) throw new Unauthorized('the admin token was refused');
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(errorText(res.status, body));
  return body;
}

function errorText(status, body) {
  const e = body && (body.error || body);
  if (e && e.message) return `${status} ${e.code || e.type || ''}: ${e.message}`;
  return `HTTP ${status}`;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Reachability in colour and words. */
function backendState(b) {
  if (b.suspended) return { cls: 'warn', text: 'suspended' };
  if (!b.probing) return { cls: 'unknown', text: 'probes off' };
  if (b.reachable === null || b.reachable === undefined) return { cls: 'unknown', text: 'not probed yet' };
  if (b.reachable) return { cls: 'ok', text: 'reachable' };
  return { cls: 'bad', text: 'unreachable' + (b.reason ? ` (${b.reason})` : '') };
}

function canServe(b) {
  return b && !b.suspended && b.circuit !== 'open' && b.reachable !== false;
}

function renderBackends() {
  const body = $('backends').tBodies[0];
  const seen = new Set();
  for (const b of status.backends || []) {
    seen.add(b.id);
    let row = body.querySelector(`tr[data-backend="${CSS.escape(b.id)}"]`);
    if (!row) {
      row = el('tr', { 'data-backend': b.id });
      body.append(row);
    }
    const busy = row.dataset.busy === 'true';
    const state = backendState(b);
    const models = (b.discoveredModels && b.discoveredModels.length ? b.discoveredModels : (b.models || []).map((m) => m.name));
    row.replaceChildren(
      el('th', { scope: 'row' }, b.id),
      el('td', {}, b.provider),
      el('td', {}, el('span', { class: `state ${state.cls}` }, busy ? 'checking…' : state.text)),
      el('td', {}, b.latencyMillis !== undefined && b.reachable !== null ? `${b.latencyMillis} ms` : ''),
      el('td', {}, b.lastProbeTime ? el('time', { datetime: b.lastProbeTime, title: b.lastProbeTime }, ago(b.lastProbeTime)) : el('span', { class: 'muted' }, 'never')),
      el('td', {}, b.circuit + (b.consecutiveFailures ? ` (${b.consecutiveFailures} failures)` : '')),
      el('td', { class: 'models' }, models.join(', '),
        (b.capabilities || []).length ? el('div', { class: 'muted' }, 'checked: ', (b.capabilities || []).map((c) =>
          `${c.model} ${c.capability} ${c.verified ? 'verified' : 'failed (' + c.reason + ')'}`).join('; ')) : null),
      el('td', { class: 'error' }, b.lastError || b.lastRequestError || ''),
      el('td', {}, el('div', { class: 'actions' },
        el('button', { type: 'button', disabled: busy, 'aria-label': `Test connection to ${b.id}`, onclick: () => probe(b.id, row) }, 'Test connection'),
        el('button', { type: 'button', disabled: busy, 'aria-label': `Refresh models of ${b.id}`, onclick: () => probe(b.id, row) }, 'Refresh models'))));
  }
  for (const row of [...body.rows]) if (!seen.has(row.dataset.backend)) row.remove();
}

async function probe(id, row) {
  row.dataset.busy = 'true';
  renderBackends();
  try {
    const result = await api('/admin/probe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backends: [id] }) });
    for (const b of result.backends || []) {
      const i = status.backends.findIndex((x) => x.id === b.id);
      if (i >= 0) status.backends[i] = { ...status.backends[i], ...b };
    }
  } catch (e) {
    handle(e);
  } finally {
    row.dataset.busy = 'false';
    renderBackends();
    renderRoutes();
  }
}

function backend(id) {
  return (status.backends || []).find((b) => b.id === id);
}

function renderRoutes() {
  const body = $('routes').tBodies[0];
  body.replaceChildren(...(status.routes || []).map((r) => {
    const targets = r.targets.map((t) => {
      const b = backend(t.backend);
      const state = t.suspended ? { cls: 'warn', text: 'suspended' } : backendState(b || {});
      return el('li', {}, el('span', { class: `state ${state.cls}` }, `${t.backend} model ${t.model}`), ` (${state.text})`);
    });
    const ready = r.targets.some((t) => !t.suspended && canServe(backend(t.backend)));
    return el('tr', { 'data-route': r.model },
      el('th', { scope: 'row' }, r.model),
      el('td', {}, (r.aliases || []).join(', ')),
      el('td', {}, r.strategy),
      el('td', {}, el('ol', {}, targets)),
      el('td', {}, el('span', { class: `state ${ready ? 'ok' : 'bad'}` }, ready ? 'yes' : 'no')));
  }));
}

function money(x) {
  if (x > 0 && x < 0.01) return '$' + x.toPrecision(2);
  return '$' + (x < 1 ? x.toFixed(4) : x.toFixed(2));
}

function renderClients() {
  const clients = status.clients || [];
  $('clients-section').hidden = clients.length === 0;
  $('clients').tBodies[0].replaceChildren(...clients.map((c) => {
    const u = c.usage || {};
    const spent = c.budgetSpentUsd || u.costUsd || 0;
    const budget = c.budget ? c.budget.usd : null;
    const share = budget ? Math.min(1, spent / budget) : 0;
    const limits = Object.entries(c.limits || {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    return el('tr', {},
      el('th', { scope: 'row' }, c.id),
      el('td', {}, u.requests ?? 0),
      el('td', {}, (u.promptTokens ?? 0) + (u.completionTokens ?? 0)),
      el('td', {}, budget
        ? [el('span', { class: 'bar' + (spent >= budget ? ' over' : ''), role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': budget, 'aria-valuenow': spent.toFixed(4), 'aria-label': `spend of ${c.id}` },
          el('span', { style: `width:${(share * 100).toFixed(1)}%` })), ` ${money(spent)} of ${money(budget)} per ${c.budget.period}`]
        : money(spent)),
      el('td', {}, limits),
      el('td', {}, u.lastUsed ? el('time', { datetime: u.lastUsed, title: u.lastUsed }, ago(u.lastUsed)) : el('span', { class: 'muted' }, 'never')));
  }));
}

function renderChoices() {
  const box = $('choices');
  const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  const options = [];
  for (const r of status.routes || []) options.push({ value: 'route:' + r.model, label: `route ${r.model}` });
  for (const b of status.backends || []) {
    for (const m of b.models || []) if (m.type === 'chat') options.push({ value: `direct:${b.id}|${m.name}`, label: `${b.id} / ${m.name}` });
  }
  const key = options.map((o) => o.value).join('\n');
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren(...options.map((o, i) => el('label', {},
    el('input', { type: 'checkbox', value: o.value, id: `choice-${i}`, checked: checked.has(o.value) }), ' ', o.label)));
}

function render() {
  const n = (status.backends || []).length;
  const up = (status.backends || []).filter((b) => b.reachable).length;
  $('summary').textContent = status.ready
    ? `${status.mode} mode, config ${status.version}, ${n} backends (${up} reachable), ${(status.routes || []).length} routes`
    : 'waiting for a routing config';
  renderBackends();
  renderRoutes();
  renderClients();
  renderChoices();
}

function handle(e) {
  if (e instanceof Unauthorized) {
    sessionStorage.removeItem('switchboard-admin-token');
    showLogin(token() ? 'The admin token was refused.' : '');
  } else {
    $('summary').textContent = 'Cannot reach the gateway: ' + e.message;
  }
}

function showLogin(message) {
  clearTimeout(timer);
  $('console').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('token').focus();
}

async function refresh() {
  try {
    status = await api('/admin/status');
    $('login').hidden = true;
    $('console').hidden = false;
    render();
    timer = setTimeout(refresh, REFRESH_MS);
  } catch (e) {
    if (e instanceof Unauthorized) {
      const had = token();
      sessionStorage.removeItem('switchboard-admin-token');
      showLogin(had ? 'The admin token was refused.' : '');
    } else {
      handle(e);
      timer = setTimeout(refresh, REFRESH_MS);
    }
  }
}

/** The price of the model that answered, for the cost: per million tokens. */
function priceFor(choice, answeredBy) {
  const [kind, rest] = [choice.slice(0, choice.indexOf(':')), choice.slice(choice.indexOf(':') + 1)];
  let backendId; let model;
  if (kind === 'direct') {
    [backendId, model] = rest.split('|');
  } else {
    const route = (status.routes || []).find((r) => r.model === rest);
    const target = route && route.targets.find((t) => t.backend === answeredBy);
    if (!target) return null;
    backendId = target.backend; model = target.model;
  }
  const b = backend(backendId);
  const m = b && (b.models || []).find((x) => x.name === model);
  return m && m.pricing ? m.pricing : null;
}

async function ask(choice, panel, request) {
  const text = panel.querySelector('.text');
  const stats = panel.querySelector('.stats');
  const started = performance.now();
  let first = null;
  let usage = null;
  let url = '/admin/playground/chat';
  const body = { ...request };
  if (choice.startsWith('direct:')) {
    const [b, m] = choice.slice(7).split('|');
    url += `?backend=${encodeURIComponent(b)}&model=${encodeURIComponent(m)}`;
    body.model = `${b}/${m}`;
  } else {
    body.model = choice.slice(6);
  }
  try {
    const res = await fetch(url, { method: 'POST', headers: headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
    const answeredBy = res.headers.get('x-switchboard-backend') || '';
    if (!res.ok) {
      const err = await res.json().catch(() => ({}));
      panel.classList.add('failed');
      text.replaceChildren(el('span', { class: 'error' }, errorText(res.status, err)));
      stats.textContent = `${Math.round(performance.now() - started)} ms`;
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        for (const line of event.split('\n')) {
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') continue;
          const chunk = JSON.parse(data);
          if (chunk.error) {
            text.append(el('span', { class: 'error' }, '\n' + errorText('stream', chunk)));
            continue;
          }
          if (chunk.usage) usage = chunk.usage;
          const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
          if (delta && delta.content) {
            if (first === null) first = performance.now() - started;
            text.append(delta.content);
          }
        }
      }
      stats.textContent = `first token ${first === null ? '…' : Math.round(first) + ' ms'}, ${Math.round(performance.now() - started)} ms so far`;
    }
    const total = Math.round(performance.now() - started);
    const parts = [`first token ${first === null ? 'n/a' : Math.round(first) + ' ms'}`, `total ${total} ms`];
    if (usage) {
      parts.push(`${usage.prompt_tokens} + ${usage.completion_tokens} tokens`);
      const price = priceFor(choice, answeredBy);
      parts.push(price ? money((usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1e6) : 'no pricing');
    }
    if (answeredBy) parts.push(`by ${answeredBy}`);
    stats.textContent = parts.join(', ');
    panel.dataset.done = 'true';
  } catch (e) {
    text.append(el('span', { class: 'error' }, '\n' + e.message));
  }
}

function send(event) {
  event.preventDefault();
  const chosen = [...$('choices').querySelectorAll('input:checked')].map((i) => i.value);
  if (chosen.length < 2 || chosen.length > 4) {
    $('playground-error').textContent = 'Pick two to four routes or backend models to compare.';
    return;
  }
  $('playground-error').textContent = '';
  const messages = [];
  if ($('system').value.trim()) messages.push({ role: 'system', content: $('system').value });
  messages.push({ role: 'user', content: $('prompt').value });
  const request = { stream: true, stream_options: { include_usage: true }, messages };
  if ($('temperature').value !== '') request.temperature = Number($('temperature').value);
  if ($('max-tokens').value !== '') request.max_tokens = Number($('max-tokens').value);
  const answers = $('answers');
  answers.replaceChildren();
  for (const choice of chosen) {
    const label = choice.startsWith('route:') ? `route ${choice.slice(6)}` : choice.slice(7).replace('|', ' / ');
    const panel = el('article', { class: 'answer', 'data-target': choice }, el('h3', {}, label), el('div', { class: 'text' }), el('div', { class: 'stats' }, 'waiting…'));
    answers.append(panel);
    ask(choice, panel, request);
  }
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('switchboard-admin-token', $('token').value);
  $('token').value = '';
  refresh();
});
$('playground').addEventListener('submit', send);
refresh();
