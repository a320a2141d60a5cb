// Reflexive Identity dashboard: polls GET /api/v1/dashboard and draws each agent's identity core.
// No framework, no CDN; every value from the server goes into the page as text, never as markup.
(() => {
  'use strict';

  const POLL_MS = 1500;
  const TOKEN_KEY = 'reflexive.dashboard.token';
  const FUNCTION_KEY = 'reflexive.dashboard.function-key';
  const SVG = 'http://www.w3.org/2000/svg';
  const RING_BASE = 36;
  const RING_STEP = 20;

  const $ = (id) => document.getElementById(id);
  const apiBase = location.pathname.replace(/dashboard\/?$/, '');
  const lastSeen = new Map();
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  let timer = 0;
  let generation = 0;

  // The token arrives in the fragment (never sent to the server), is moved to session storage and
  // removed from the address bar so it does not linger in history or get copied along with the link.
  function takeTokenFromFragment() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const token = fragment.get('token');
    const key = fragment.get('key');
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    if (key) sessionStorage.setItem(FUNCTION_KEY, key);
    if (token || key) history.replaceState(null, '', location.pathname + location.search);
  }

  function el(tag, attributes = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(tag, attributes = {}, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setConnection(state, text) {
    const connection = $('connection');
    connection.dataset.state = state;
    connection.textContent = text;
  }

  function showPrompt(message) {
    clearTimeout(timer);
    generation++;
    $('board').hidden = true;
    $('sign-out').hidden = true;
    $('token-prompt').hidden = false;
    $('auth-message').textContent = message || '';
    setConnection('signed-out', 'Not connected');
    $('token-input').focus();
  }

  function authMessage(status, problem) {
    const detail = problem && problem.detail ? ` (${problem.code}: ${problem.detail})` : '';
    if (status === 401) {
      return `The token was refused: it is missing, expired or not issued for this API${detail}. Get a new operator token with reflexive:admin and paste it below, or open the link reflexive serve prints.`;
    }
    if (status === 403) {
      return `The token is valid but lacks reflexive:admin${detail}. Use an operator client whose grant includes reflexive:admin.`;
    }
    return `The service refused the dashboard (${status})${detail}.`;
  }

  async function poll(run) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      showPrompt('');
      return;
    }

    const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    const key = sessionStorage.getItem(FUNCTION_KEY);
    if (key) headers['x-functions-key'] = key;
    let response;
    try {
      response = await fetch(`${apiBase}v1/dashboard`, { headers, cache: 'no-store', credentials: 'omit' });
    } catch {
      if (run !== generation) return;
      setConnection('offline', 'Connection lost; retrying');
      schedule(run, POLL_MS * 2);
      return;
    }

    if (run !== generation) return;
    if (response.status === 401 || response.status === 403 || response.status === 503) {
      // Stop polling: every refused request is recorded in the ledger, so never retry a bad token in a loop.
      const problem = await response.json().catch(() => null);
      if (response.status !== 503) sessionStorage.removeItem(TOKEN_KEY);
      showPrompt(authMessage(response.status, problem));
      return;
    }

    if (!response.ok) {
      setConnection('offline', `The service answered ${response.status}; retrying`);
      schedule(run, POLL_MS * 2);
      return;
    }

    const snapshot = await response.json();
    if (run !== generation) return;
    render(snapshot);
    setConnection('live', `Live · updated ${new Date(snapshot.generated_at).toLocaleTimeString()}`);
    schedule(run, POLL_MS);
  }

  function schedule(run, delay) {
    clearTimeout(timer);
    timer = setTimeout(() => poll(run), delay);
  }

  function start() {
    $('token-prompt').hidden = true;
    $('board').hidden = false;
    $('sign-out').hidden = false;
    setConnection('connecting', 'Connecting…');
    generation++;
    poll(generation);
  }

  function render(snapshot) {
    const container = $('agents');
    const seen = new Set();
    for (const agent of snapshot.agents) {
      seen.add(agent.agent_id);
      let card = container.querySelector(`[data-agent-id="${CSS.escape(agent.agent_id)}"]`);
      if (!card) {
        card = createCard(agent);
        container.append(card);
      }
      updateCard(card, agent, snapshot.trust_threshold);
    }
    for (const card of [...container.children]) {
      if (!seen.has(card.dataset.agentId)) card.remove();
    }
    $('no-agents').hidden = snapshot.agents.length > 0;
    renderTimeline(snapshot.timeline);
  }

  function createCard(agent) {
    const card = el('article', { class: 'agent', 'data-agent-id': agent.agent_id, 'aria-label': `Agent ${agent.agent_id}` });
    const head = el('header', { class: 'agent-head' });
    head.append(el('h3', { class: 'agent-id' }, agent.agent_id));
    const status = el('span', { class: 'status', 'data-role': 'status' });
    head.append(status);
    const score = el('p', { class: 'score' });
    score.append(el('span', { class: 'score-value', 'data-role': 'trust-score' }), el('span', { class: 'score-label' }, 'trust'));
    head.append(score);
    card.append(head);

    const body = el('div', { class: 'agent-body' });
    body.append(createCore(agent));
    const side = el('div', { class: 'agent-side' });
    side.append(el('h4', {}, 'Scopes'), el('ul', { class: 'scope-list', 'data-role': 'scopes' }));
    side.append(el('h4', {}, 'Active grants'), el('ul', { class: 'grant-list', 'data-role': 'grants' }));
    body.append(side);
    card.append(body);

    const chart = el('figure', { class: 'trust-chart' });
    const caption = el('figcaption', {}, 'Trust over time ');
    caption.append(el('span', { class: 'hint', 'data-role': 'threshold' }));
    chart.append(caption);
    chart.append(svg('svg', { 'data-role': 'trust-chart', viewBox: '0 0 320 90', preserveAspectRatio: 'none', role: 'img' }));
    card.append(chart);
    return card;
  }

  // The identity core: a nucleus that pulses while the agent holds an active grant, and one ring per
  // policy scope, innermost first. Rings and nucleus are restyled by data attributes; see dashboard.css.
  function createCore(agent) {
    const size = RING_BASE + RING_STEP * agent.scopes.length + 14;
    const core = svg('svg', {
      class: 'core', 'data-role': 'core', viewBox: `${-size} ${-size} ${size * 2} ${size * 2}`, role: 'img',
      'aria-label': `Identity core of ${agent.agent_id}`,
    });
    core.append(svg('circle', { class: 'core-halo', r: RING_BASE - 8 }));
    core.append(svg('circle', { class: 'core-nucleus', r: RING_BASE - 14 }));
    agent.scopes.forEach((scope, index) => {
      const radius = RING_BASE + RING_STEP * index;
      const ring = svg('g', { class: 'ring', 'data-scope': scope.scope });
      ring.append(svg('title', {}, scope.scope));
      ring.append(svg('circle', { class: 'ring-track', r: radius }));
      ring.append(svg('circle', { class: 'ring-arc', r: radius }));
      ring.append(svg('text', { class: 'ring-label', x: 0, y: -radius, 'dominant-baseline': 'central', 'text-anchor': 'middle' }, scope.scope));
      core.append(ring);
    });
    return core;
  }

  function updateCard(card, agent, threshold) {
    card.dataset.status = agent.status;
    const status = card.querySelector('[data-role="status"]');
    status.textContent = agent.status;
    status.dataset.status = agent.status;
    card.querySelector('[data-role="trust-score"]').textContent = formatScore(agent.trust_score);
    card.classList.toggle('below-threshold', agent.trust_score < threshold);

    const core = card.querySelector('[data-role="core"]');
    const quarantined = agent.status === 'quarantined';
    core.dataset.core = quarantined ? 'dormant' : agent.active_grants.length > 0 ? 'pulsing' : 'steady';
    const history = agent.trust_history;
    const latest = history[history.length - 1];
    const before = history.length > 1 ? history[history.length - 2] : latest;
    core.dataset.trend = latest.trust_score < before.trust_score ? 'falling' : latest.trust_score > before.trust_score ? 'rising' : 'steady';
    if (lastSeen.get(agent.agent_id) !== latest.at) {
      lastSeen.set(agent.agent_id, latest.at);
      if (core.dataset.trend === 'falling') flicker(core);
    }

    for (const scope of agent.scopes) {
      const ring = core.querySelector(`.ring[data-scope="${CSS.escape(scope.scope)}"]`);
      if (!ring) continue;
      ring.dataset.state = scope.state;
      ring.dataset.critical = String(scope.critical);
      ring.dataset.baseline = String(scope.baseline);
      ring.querySelector('title').textContent = `${scope.scope}: ${describeState(scope)}`;
    }

    const scopes = card.querySelector('[data-role="scopes"]');
    scopes.replaceChildren(...agent.scopes.map((scope) => {
      const item = el('li', { 'data-scope': scope.scope, 'data-state': scope.state, 'data-critical': String(scope.critical) });
      item.append(el('span', { class: 'scope-name' }, scope.scope));
      item.append(el('span', { class: 'scope-state' }, describeState(scope)));
      if (scope.critical) item.append(el('span', { class: 'tag critical' }, 'critical'));
      return item;
    }));

    const grants = card.querySelector('[data-role="grants"]');
    grants.replaceChildren(...(agent.active_grants.length === 0
      ? [el('li', { class: 'empty' }, 'none')]
      : agent.active_grants.map((grant) => {
        const item = el('li', { 'data-grant-id': grant.grant_id });
        item.append(el('span', { class: 'grant-scopes' }, grant.scopes.join(', ')));
        item.append(el('span', { class: 'grant-expiry' }, `until ${new Date(grant.expires_at).toLocaleTimeString()}`));
        return item;
      })));

    card.querySelector('[data-role="threshold"]').textContent = `· dashed: quarantine threshold ${formatScore(threshold)}`;
    drawChart(card.querySelector('[data-role="trust-chart"]'), agent.trust_history, threshold);
  }

  // Each new drop in trust makes the core flicker for a moment (data-trend says which way the last
  // recomputation went, for tests and assistive tech). The Web Animations API needs no inline style.
  function flicker(core) {
    if (reducedMotion.matches) return;
    core.animate([{ opacity: 1 }, { opacity: 0.3 }, { opacity: 1 }], { duration: 450, iterations: 6, easing: 'steps(2, jump-none)' });
  }

  function describeState(scope) {
    if (scope.state === 'held') return scope.baseline ? 'held (baseline)' : 'held (grant)';
    if (scope.state === 'revoked') return 'revoked';
    return 'not held';
  }

  function formatScore(score) {
    return (Math.round(score * 10) / 10).toString();
  }

  function drawChart(chart, history, threshold) {
    const width = 320;
    const height = 90;
    const pad = 6;
    const y = (score) => pad + (height - 2 * pad) * (1 - score / 100);
    const times = history.map((point) => Date.parse(point.at));
    const first = Math.min(...times);
    const span = Math.max(Math.max(...times) - first, 1);
    const x = (time) => (history.length === 1 ? width - pad : pad + (width - 2 * pad) * ((time - first) / span));
    const points = history.map((point, i) => `${x(times[i]).toFixed(1)},${y(point.trust_score).toFixed(1)}`);
    if (history.length === 1) points.unshift(`${pad},${y(history[0].trust_score).toFixed(1)}`);

    chart.dataset.points = String(history.length);
    chart.setAttribute('aria-label', `Trust over time: ${history.map((p) => formatScore(p.trust_score)).join(', ')}`);
    chart.replaceChildren(
      svg('line', { class: 'chart-threshold', x1: 0, x2: width, y1: y(threshold), y2: y(threshold) }),
      svg('polyline', { class: 'chart-line', points: points.join(' ') }),
    );
  }

  function renderTimeline(entries) {
    const list = $('timeline');
    list.replaceChildren(...entries.map((entry) => {
      const item = el('li', { 'data-entry-id': entry.entry_id, 'data-kind': entry.kind, 'data-agent-id': entry.agent_id });
      if (entry.decision) item.dataset.decision = entry.decision;
      const when = el('time', { datetime: entry.at }, new Date(entry.at).toLocaleTimeString());
      item.append(when, el('span', { class: 'entry-agent' }, entry.agent_id), el('span', { class: 'entry-kind' }, entry.kind));
      if (entry.decision) item.append(el('span', { class: `decision ${entry.decision}` }, entry.decision));
      item.append(el('span', { class: 'entry-summary' }, entry.summary));
      const codes = el('span', { class: 'codes' });
      for (const code of entry.reason_codes) codes.append(el('code', { class: 'reason-code' }, code));
      item.append(codes);
      if (entry.trust_score !== undefined && entry.trust_score !== null) {
        item.append(el('span', { class: 'entry-score' }, `trust ${formatScore(entry.trust_score)}`));
      }
      return item;
    }));
  }

  document.addEventListener('DOMContentLoaded', () => {
    takeTokenFromFragment();
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token-input').value.trim();
      const key = $('key-input').value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      if (key) sessionStorage.setItem(FUNCTION_KEY, key);
      else sessionStorage.removeItem(FUNCTION_KEY);
      $('token-input').value = '';
      $('key-input').value = '';
      start();
    });
    $('sign-out').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(FUNCTION_KEY);
      showPrompt('The token was removed from this tab.');
    });
    window.addEventListener('hashchange', () => {
      takeTokenFromFragment();
      if (sessionStorage.getItem(TOKEN_KEY)) start();
    });
    document.addEventListener('visibilitychange', () => {
      // A hidden tab stops polling and picks up at once when shown again.
      if (document.hidden) { clearTimeout(timer); generation++; } else if (!$('board').hidden) start();
    });
    if (sessionStorage.getItem(TOKEN_KEY)) start();
    else showPrompt('');
  });
})();
