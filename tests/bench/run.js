// The benchmark: download sizes, and how long the case list takes to appear with 0, 1,000 and
// 5,000 cases stored in real localStorage, in headless Chromium. Prints a Markdown table.
// Run through .ci/bench, which builds the app, serves dist/ and passes the seed files.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { chromium } = require(path.join(__dirname, '..', 'e2e', 'node_modules', '@playwright/test'));

const [base, dist, ...seedFiles] = process.argv.slice(2);
const RUNS = 7;

// What each page loads before its first screen: its HTML, its own wasm and JS, and the shared
// stylesheet (not sw.js, nor the same-origin mount's embed.js/.css). Ceilings (issue 35): bytes
// hold against growth, gzip -9 as a server compressing on the fly sends them; brotli is what
// a server sending the build's precompressed copies sends (README, "Deploying").
const DOORS = [
  { name: 'desk (index.html)', html: 'index.html', bin: /^escalation-desk-[0-9a-f]+(_bg\.wasm|\.js)$/, ceiling: 440_000 },
  { name: 'console (console.html)', html: 'console.html', bin: /^escalation-desk-console-[0-9a-f]+(_bg\.wasm|\.js)$/, ceiling: 500_000 },
];

/** A file's sizes: as it is, gzip -9, and its brotli copy (`<file>.br`, else made here). */
function measured(file) {
  const raw = fs.readFileSync(path.join(dist, file));
  const gz = zlib.gzipSync(raw, { level: 9 }).length;
  const copy = path.join(dist, `${file}.br`);
  const br = fs.existsSync(copy)
    ? fs.statSync(copy).size
    : zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw: raw.length, gz, br };
}

const n = (v) => v.toLocaleString('en');

function sizes() {
  const rows = [];
  const files = fs.readdirSync(dist);
  for (const door of DOORS) {
    const total = { raw: 0, gz: 0, br: 0 };
    const own = files.filter((f) => door.bin.test(f)).sort((a, b) => (a.endsWith('.wasm') ? -1 : 1));
    const css = files.filter((f) => /^main-[0-9a-f]+\.css$/.test(f));
    for (const file of [...own, ...css, door.html]) {
      const m = measured(file);
      for (const k of Object.keys(total)) total[k] += m[k];
      rows.push(`| ${door.name} | ${file.replace(/-[0-9a-f]{8,}/, '')} | ${n(m.raw)} B | ${n(m.gz)} B | ${n(m.br)} B |`);
    }
    const verdict = total.gz <= door.ceiling ? 'within' : `OVER by ${n(total.gz - door.ceiling)} B`;
    rows.push(`| **${door.name}** | **total** | ${n(total.raw)} B | **${n(total.gz)} B** (ceiling ${n(door.ceiling)} B: ${verdict}) | **${n(total.br)} B** |`);
    door.gz = total.gz;
    door.br = total.br;
  }
  // Team mode's worker: fetched only when team mode is on (issue 19), never by the desk alone.
  const team = { gz: 0, br: 0 };
  for (const file of files.filter((f) => f === 'team-worker.js' || /^escalation-desk-team-[0-9a-f]+(_bg\.wasm|\.js)$/.test(f)).sort()) {
    const m = measured(file);
    team.gz += m.gz;
    team.br += m.br;
    rows.push(`| team mode, when on | ${file.replace(/-[0-9a-f]{8,}/, '')} | ${n(m.raw)} B | ${n(m.gz)} B | ${n(m.br)} B |`);
  }
  rows.push(`| **desk with team mode on** | **desk + team worker** | | **${n(DOORS[0].gz + team.gz)} B** (team mode off: ${n(DOORS[0].gz)} B, the desk alone) | **${n(DOORS[0].br + team.br)} B** |`);
  return rows;
}

/** The first visit on a slow line (issue 35): 1.6 Mbps down, 150 ms latency, a fresh browser
 *  profile; the desk served as files, as gzip and as brotli (the build's copies, through a
 *  server that sends them). First paint, and the desk usable (the list drawn, its search box
 *  there); the bytes sent before that. Median of 3 each. */
async function firstVisit(browser) {
  const { serve } = require(path.join(__dirname, '..', 'e2e', 'serve-precompressed'));
  const site = await serve(dist, Number(process.env.BENCH_START_PORT || 4396));
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = [];
  try {
    for (const [label, accept] of [['files as they are', 'identity'], ['gzip', 'gzip'], ['brotli', 'br, gzip']]) {
      const paint = [];
      const usable = [];
      const bytes = [];
      for (let i = 0; i < 3; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 });
        // Chromium asks for brotli over HTTPS only: asked here as it would be there.
        await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': accept } });
        // The moment the desk is usable as the page sees it (its search box in the document),
        // not when this script notices: the worker registers right after it.
        await page.addInitScript(() => {
          new MutationObserver((_, observer) => {
            if (document.querySelector('input[type=search]')) {
              window.usableAt = Date.now();
              observer.disconnect();
            }
          }).observe(document, { childList: true, subtree: true });
        });
        site.sent.length = 0;
        const start = Date.now();
        await page.goto(site.url, { waitUntil: 'commit' });
        await page.getByRole('searchbox', { name: 'Search' }).waitFor({ timeout: 120_000 });
        const done = await page.evaluate(() => window.usableAt);
        usable.push(done - start);
        bytes.push(site.sent.filter((r) => r.at <= done).reduce((sum, r) => sum + r.bytes, 0));
        paint.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0));
        await context.close();
      }
      rows.push(`| ${label} | ${median(paint).toFixed(0)} ms | ${n(median(usable))} ms | ${n(median(bytes))} B |`);
    }
  } finally {
    site.server.close();
  }
  return rows;
}

/** Team mode on loopback (issue 19): a y-websocket server from tests/team-server; agent A
 *  changes a case's subject and agent B's list shows it (median of 5); a fresh device joins a
 *  team holding `seedFile`'s cases and has them all stored; the document's state beside the
 *  cases' own storage. */
async function teamTimes(browser, seedFile) {
  const { spawn } = require('child_process');
  const port = Number(process.env.BENCH_TEAM_PORT || 4395);
  const server = spawn(process.execPath, [path.join(__dirname, '..', 'team-server', 'node_modules', '@y', 'websocket-server', 'src', 'server.js')], {
    // In memory (no YPERSISTENCE): the bench's team lives for one run.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'YPERSISTENCE')), HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise((resolve) => server.stdout.on('data', (d) => String(d).includes('running') && resolve()));
  const key = [...Array(32)].map((_, i) => '0123456789abcdef'[(i * 7 + Date.now()) % 16]).join('');
  const settings = (client, founder, team = key) => JSON.stringify({ server: `ws://127.0.0.1:${port}`, key: team, client, name: 'Bench team', founder });
  const agentIn = async (team, client, founder) => {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(base);
    await page.evaluate((t) => { localStorage.clear(); localStorage.setItem('escdesk:team', t); }, settings(client, founder, team));
    return { context, page };
  };
  const agent = async (client, founder, values = {}) => {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    const page = await context.newPage();
    await page.goto(base);
    await page.evaluate(([values, team]) => {
      localStorage.clear();
      for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v);
      localStorage.setItem('escdesk:team', team);
    }, [values, settings(client, founder)]);
    return { context, page };
  };
  const connected = (page) => page.locator('.team-status').getByText('Team: connected', { exact: true }).waitFor({ timeout: 120_000 });
  try {
    // A holds the seeded cases and founds the team; they all reach the server.
    const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8'));
    const count = Object.keys(seed).filter((k) => k.includes(':case:')).length;
    const a = await agent(11, true, seed);
    await a.page.goto(base);
    await connected(a.page);
    // A fresh device joins: from opening the desk to every case stored on it.
    const fresh = await agent(12, false);
    const start = Date.now();
    await fresh.page.goto(base);
    await fresh.page.waitForFunction((n) => Object.keys(localStorage).filter((k) => k.includes(':case:')).length >= n, count, { timeout: 300_000, polling: 50 });
    const joinMs = Date.now() - start;
    await fresh.page.waitForTimeout(1500);
    const stored = await fresh.page.evaluate(() => {
      let cases = 0, state = 0;
      for (const k of Object.keys(localStorage)) {
        if (k.includes(':case:')) cases += localStorage.getItem(k).length;
        if (k.endsWith(':team-state')) state = localStorage.getItem(k).length;
      }
      return { cases, state };
    });
    // A's change on a case's screen, B's list: from A's Enter to the subject on B's screen.
    const first = Object.keys(seed).find((k) => k.includes(':case:')).split(':case:')[1];
    await a.page.goto(`${base}#/case/${first}`);
    await fresh.page.goto(base);
    await connected(fresh.page);
    const seen = [];
    for (let i = 0; i < 5; i++) {
      const subject = `Bench change ${i} ${Date.now()}`;
      const shown = fresh.page.evaluate((s) => new Promise((done) => {
        const look = () => document.body.innerText.includes(s);
        if (look()) return done(Date.now());
        new MutationObserver((_, o) => { if (look()) { o.disconnect(); done(Date.now()); } }).observe(document.body, { subtree: true, childList: true, characterData: true });
      }), subject);
      await a.page.getByLabel(/^Subject/).fill(subject);
      const sent = await a.page.evaluate(() => Date.now());
      await a.page.getByLabel(/^Subject/).press('Enter');
      seen.push((await shown) - sent);
    }
    // Importing 1,000 cases while connected (issue 32.7): A's export under new ids, restored
    // by C into a team of its own that D has joined; from the file chosen to every case
    // stored on D, and the longest task on C's page meanwhile (a frame it couldn't draw).
    await a.page.goto(`${base}console.html#/data`);
    const [download] = await Promise.all([
      a.page.waitForEvent('download', { timeout: 120_000 }),
      a.page.getByRole('button', { name: 'Download all cases' }).first().click({ timeout: 120_000 }),
    ]);
    const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    for (const c of file.cases) c.id = `imp-${c.id}`.slice(0, 64);
    const importFile = path.join(require('os').tmpdir(), `bench-import-${Date.now()}.json`);
    fs.writeFileSync(importFile, JSON.stringify(file));
    await a.context.close();
    await fresh.context.close();
    const imported = await importTimes(agentIn, connected, importFile, file.cases.length);
    return { count, joinMs, seenMs: median(seen), ...stored, ...imported };
  } finally {
    server.kill();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** C founds a team of its own, D joins; C restores `file` (n cases) on its Data page. */
async function importTimes(agentIn, connected, file, n) {
  const team = [...Array(32)].map((_, i) => 'fedcba9876543210'[(i * 5 + Date.now()) % 16]).join('');
  const c = await agentIn(team, 31, true);
  const d = await agentIn(team, 32, false);
  await c.page.goto(`${base}console.html#/data`);
  await d.page.goto(base);
  await connected(c.page);
  await connected(d.page);
  await c.page.evaluate(() => {
    window.__longest = 0;
    window.__blocked = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longest = Math.max(window.__longest, e.duration);
        window.__blocked += e.duration;
      }
    }).observe({ type: 'longtask', buffered: false });
  });
  const start = Date.now();
  await c.page.getByLabel('Restore or import a file…').setInputFiles(file);
  await d.page.waitForFunction((n) => Object.keys(localStorage).filter((k) => k.includes(':case:')).length >= n, n, { timeout: 600_000, polling: 100 });
  const importMs = Date.now() - start;
  const { longest, blocked } = await c.page.evaluate(() => ({ longest: window.__longest, blocked: window.__blocked }));
  await c.context.close();
  await d.context.close();
  return { importMs, importLongest: Math.round(longest), importBlocked: Math.round(blocked) };
}

async function listTimes(browser, seedFile) {
  const seed = seedFile ? JSON.parse(fs.readFileSync(seedFile, 'utf8')) : {};
  const count = Object.keys(seed).filter((k) => k.includes(':case:')).length;
  const context = await browser.newContext();
  const page = await context.newPage();
  // Marks the moment the list (or its empty state) first appears, from navigation start.
  // And the moment every stored case has been read (a big store is read in parts, newest
  // first, after the list is already on screen).
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (window.__shown === undefined && document.querySelector('.case-item, .empty')) {
        window.__shown = performance.now();
      }
      const count = document.querySelector('.result-count');
      if (window.__shown !== undefined && count && !count.textContent.includes('reading')) {
        window.__complete = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(base);
  const planted = await page.evaluate((values) => {
    localStorage.clear();
    let chars = 0;
    try {
      for (const [k, v] of Object.entries(values)) {
        localStorage.setItem(k, v);
        chars += k.length + v.length;
      }
    } catch (e) {
      return { error: `${e.name} after ${localStorage.length} keys, ${chars} characters` };
    }
    return { chars };
  }, seed);
  if (planted.error) {
    await context.close();
    return { count, error: planted.error };
  }
  const times = [];
  const complete = [];
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    await page.waitForFunction(() => window.__shown !== undefined && window.__complete !== undefined);
    times.push(await page.evaluate(() => window.__shown));
    complete.push(await page.evaluate(() => window.__complete));
  }
  const shownText = await page.locator('.result-count').innerText();

  // One search keystroke: from the input event to the list updated (before the next frame).
  const keys = [];
  if (count > 0) {
    const words = ['z', 'zo', 'zoë', 'm', 'mü', 'rou', 'route', 'inv', 'invoice', 'acme-1', 'api', 'x', 'xy', 'no', 'nope', 'e', 'es', 'esc-2026-00', 'b', ''];
    for (const w of words) {
      keys.push(
        await page.evaluate(async (text) => {
          const input = document.getElementById('case-search');
          const t0 = performance.now();
          input.value = text;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await new Promise((r) => setTimeout(r, 0));
          return performance.now() - t0;
        }, w),
      );
    }
  }

  // The queue: every open case's clocks worked out, soonest due first.
  let queueMs = null;
  if (count > 0) {
    queueMs = await page.evaluate(async () => {
      const t0 = performance.now();
      location.hash = '#/queue';
      for (;;) {
        await new Promise((r) => setTimeout(r, 0));
        if (document.querySelector('main h1')?.textContent === 'Queue' && document.querySelector('main .case-item, main .empty')) break;
      }
      const ms = performance.now() - t0;
      location.hash = '#/';
      for (;;) {
        await new Promise((r) => setTimeout(r, 0));
        if (document.querySelector('main .case-item')) break;
      }
      return ms;
    });
  }

  // Saving one edited case: characters written to storage, and the time the save takes.
  let save = null;
  if (count > 0) {
    await page.evaluate(() => {
      window.__written = 0;
      const set = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        window.__written += String(k).length + String(v).length;
        return set.call(this, k, v);
      };
    });
    await page.locator('.case-link').first().click();
    await page.getByLabel('Owner').fill(`Bench ${Date.now()}`);
    save = await page.evaluate(async () => {
      window.__written = 0;
      // Saving happens as the agent types; submitting the form (Enter in a field) saves at once.
      const form = document.querySelector('form.case-form');
      const t0 = performance.now();
      form.requestSubmit();
      await new Promise((r) => setTimeout(r, 0));
      return { ms: performance.now() - t0, chars: window.__written };
    });
  }
  await context.close();
  return {
    count,
    chars: planted.chars,
    median: median(times),
    worst: Math.max(...times),
    complete: median(complete),
    queueMs,
    shownText,
    keyMedian: keys.length ? median(keys) : null,
    keyWorst: keys.length ? Math.max(...keys) : null,
    save,
  };
}

/** Pasting into a case's Description (issue 31): from the paste to the next frame (the page
 *  answering), and the longest task in the two seconds after (the save that follows), for
 *  texts below the field's limit and one far past it (refused at once). */
async function pasteTimes(browser) {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
  const page = await context.newPage();
  await page.goto(base);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${base}#/new`);
  await page.getByLabel(/^Subject/).fill('Paste bench');
  await page.getByRole('button', { name: 'Open case' }).click();
  await page.getByLabel('Description').waitFor();
  const rows = [];
  for (const chars of [10_000, 50_000, 99_000, 30_000_000]) {
    await page.getByLabel('Description').fill('');
    await page.evaluate((n) => navigator.clipboard.writeText('x'.repeat(n)), chars);
    await page.getByLabel('Description').focus();
    await page.evaluate(() => {
      window.__answered = undefined;
      window.__longest = 0;
      const seen = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
      });
      seen.observe({ type: 'longtask' });
      window.addEventListener('paste', () => {
        const t0 = performance.now();
        requestAnimationFrame(() => setTimeout(() => { window.__answered = performance.now() - t0; }, 0));
        setTimeout(() => { seen.disconnect(); window.__done = true; }, 2000);
      }, { capture: true, once: true });
      window.__done = false;
    });
    await page.keyboard.press('Control+V');
    await page.waitForFunction(() => window.__answered !== undefined && window.__done, null, { timeout: 60_000 });
    const r = await page.evaluate(() => ({ answered: window.__answered, longest: window.__longest }));
    const kept = (await page.getByLabel('Description').inputValue()).length;
    rows.push({ chars, ...r, kept });
  }
  await context.close();
  return rows;
}

/** The console's "Try a playbook file on your cases…" over a seeded store: from picking the
 *  file to the list of cases it would decide differently on screen (reading every case,
 *  walking each triage decision again through the file's playbook, drawing the result). */
/** A new browser context whose localStorage holds the seed file's cases, on `screen`. */
async function planted(browser, seedFile, screen) {
  const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8'));
  const count = Object.keys(seed).filter((k) => k.includes(':case:')).length;
  const context = await browser.newContext({ timezoneId: 'UTC' });
  const page = await context.newPage();
  await page.goto(base);
  await page.evaluate((values) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v);
  }, seed);
  await page.goto(new URL(screen, base).href);
  return { count, context, page };
}

async function replayTime(browser, seedFile) {
  const { count, context, page } = await planted(browser, seedFile, 'console.html#/playbook');
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the playbook' }).click();
  const file = JSON.parse(fs.readFileSync(await (await dl).path(), 'utf8'));
  file.playbook.version += 1;
  file.playbook.priority.matrix[1][1] = 'P1';
  const tried = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'escdesk-bench-')), 'tried.json');
  fs.writeFileSync(tried, JSON.stringify(file));
  const times = [];
  let said = '';
  for (let i = 0; i < 5; i++) {
    const start = await page.evaluate(() => performance.now());
    await page.getByLabel('Try a playbook file on your cases…').setInputFiles(tried);
    const status = page.locator('section[aria-labelledby="trial-title"] [role="status"]');
    await status.waitFor();
    times.push((await page.evaluate(() => performance.now())) - start);
    said = await status.innerText();
    await page.getByRole('button', { name: "Don't use it" }).click();
  }
  await context.close();
  return { count, ms: median(times), said };
}

/** The console's Insights screen over a seeded store: from choosing the period to its figures
 *  on screen (every figure of this period and the one before, the charts and the table),
 *  measured in the page (before 2026-11-28 it was measured from Playwright, round trips
 *  included, which added 20-40 ms).
 *  "All year" covers every seeded case; "last 4 weeks" is the screen as it opens. */
async function insightsTime(browser, seedFile) {
  const { count, context, page } = await planted(browser, seedFile, 'console.html#/insights');
  const status = page.locator('p.lede[role="status"]');
  await status.waitFor();
  await page.waitForFunction(() => !document.body.innerText.includes('Reading your cases'));
  // Timed inside the page, from the change to the figures on screen (the status line has
  // changed and every update queued with it has run), so Playwright's round trips to the
  // browser are not counted.
  const timed = (id, value) =>
    page.evaluate(
      ([id, value]) =>
        new Promise((done) => {
          const status = document.querySelector('p.lede[role="status"]');
          const before = status.textContent;
          const control = document.getElementById(id);
          const start = performance.now();
          const seen = new MutationObserver(() => {
            if (status.textContent !== before) {
              seen.disconnect();
              // After the rest of the screen's updates queued with it.
              setTimeout(() => done(performance.now() - start), 0);
            }
          });
          seen.observe(status, { childList: true, characterData: true, subtree: true });
          control.value = value;
          control.dispatchEvent(new Event('change', { bubbles: true }));
        }),
      [id, value],
    );
  const recent = [];
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Period').selectOption({ label: 'This week' });
    recent.push(await timed('insights-period', 'four'));
  }
  await page.getByLabel('First day').fill('2026-01-01');
  const year = [];
  let said = '';
  for (let i = 0; i < 5; i++) {
    year.push(await timed('insights-to', i % 2 ? '2026-12-31' : '2026-12-30'));
    said = await status.innerText();
  }
  await context.close();
  return { count, recent: median(recent), year: median(year), said };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const out = [];
  out.push(`Measured ${new Date().toISOString().slice(0, 10)} on ${require('os').cpus().length} cores (${require('os').cpus()[0].model.trim()}), Chromium headless, release build.`);
  out.push('');
  out.push('| page | download | raw | gzip -9 | brotli 11 |');
  out.push('| --- | --- | ---: | ---: | ---: |');
  out.push(...sizes());
  // BENCH_ONLY=team: the sizes and team mode's figures alone (for working on team mode);
  // BENCH_ONLY=start: the sizes and the first visit on a slow line.
  const only = process.env.BENCH_ONLY;
  out.push('');
  out.push('| first visit, 1.6 Mbps, 150 ms latency, served as | first paint | desk usable (list drawn, search there), median of 3 | bytes sent until then |');
  out.push('| --- | ---: | ---: | ---: |');
  try {
    out.push(...(only === 'team' ? [] : await firstVisit(browser)));
  } catch (e) {
    out.push(`| failed: ${e.message.split('\n')[0]} | | | |`);
  }
  if (only === 'start') {
    await browser.close();
    console.log(out.join('\n'));
    return;
  }
  out.push('');
  out.push(`| cases stored | storage used (characters) | list on screen, median of ${RUNS} | worst | every case read, median | search keystroke, median of 20 | worst | queue on screen | saving one case: written | save time |`);
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  let perCase = null;
  for (const file of only ? [] : [null, ...seedFiles]) {
    const r = await listTimes(browser, file);
    if (r.error) {
      out.push(`| ${r.count.toLocaleString('en')} | does not fit: ${r.error} | | | | | | | | |`);
      continue;
    }
    const ms = (x) => (x === null ? '' : `${x.toFixed(1)} ms`);
    out.push(
      `| ${r.count.toLocaleString('en')} | ${(r.chars || 0).toLocaleString('en')} | ${r.median.toFixed(0)} ms | ${r.worst.toFixed(0)} ms | ${r.complete.toFixed(0)} ms | ${ms(r.keyMedian)} | ${ms(r.keyWorst)} | ${ms(r.queueMs)} | ${r.save ? `${r.save.chars.toLocaleString('en')} chars` : ''} | ${r.save ? ms(r.save.ms) : ''} |`,
    );
    if (r.count > 0) perCase = r.chars / r.count;
  }
  if (perCase) {
    out.push('');
    out.push(`A typical generated case takes ${perCase.toFixed(0)} characters, so about ${Math.floor(5242880 / perCase).toLocaleString('en')} fit in Chromium's localStorage quota of 5,242,880 characters.`);
  }
  // A paste into a case field (issue 31: the page answers within 200 ms below the limit).
  if (!only) {
    out.push('');
    out.push('| pasted into Description | page answers (next frame) | longest task in the 2 s after | kept in the field |');
    out.push('| ---: | ---: | ---: | --- |');
    try {
      for (const r of await pasteTimes(browser)) {
        out.push(`| ${r.chars.toLocaleString('en')} characters | ${r.answered.toFixed(0)} ms | ${r.longest ? `${r.longest.toFixed(0)} ms` : 'none over 50 ms'} | ${r.kept ? `${r.kept.toLocaleString('en')} characters` : 'refused, with the limit in words'} |`);
      }
    } catch (e) {
      out.push(`| failed: ${e.message.split('\n')[0]} | | | |`);
    }
  }
  // A playbook tried on every triaged case (issue 17's replay; goal under 200 ms at 5,000).
  const biggest = seedFiles[seedFiles.length - 1];
  if (biggest && !only) {
    const r = await replayTime(browser, biggest);
    out.push('');
    out.push('| cases stored | trying a playbook file on them, median of 5 | what it found |');
    out.push('| ---: | ---: | --- |');
    out.push(`| ${r.count.toLocaleString('en')} | ${r.ms.toFixed(0)} ms | ${r.said} |`);
  }
  // The lead's Insights screen (issue 16; goal under 100 ms at 5,000).
  out.push('');
  out.push('| cases stored | Insights, last 4 weeks, median of 5 | Insights, every case of the year, median of 5 | what it said |');
  out.push('| ---: | ---: | ---: | --- |');
  for (const file of only ? [] : seedFiles.slice(1)) {
    const r = await insightsTime(browser, file);
    out.push(`| ${r.count.toLocaleString('en')} | ${r.recent.toFixed(0)} ms | ${r.year.toFixed(0)} ms | ${r.said.split(':')[1] || r.said} |`);
  }
  // Team mode (issue 19), with the 1,000 seeded cases.
  const thousand = seedFiles.find((f) => f.endsWith('1000.json'));
  if (thousand) {
    out.push('');
    out.push('| team mode on loopback | cases | a change of A on B\'s screen, median of 5 | a fresh device joining: every case stored | storage: cases | storage: shared document\'s state |');
    out.push('| --- | ---: | ---: | ---: | ---: | ---: |');
    try {
      const t = await teamTimes(browser, thousand);
      out.push(`| y-websocket server, two Chromium contexts | ${t.count.toLocaleString('en')} | ${t.seenMs} ms | ${t.joinMs.toLocaleString('en')} ms | ${t.cases.toLocaleString('en')} characters | ${t.state.toLocaleString('en')} characters |`);
      out.push('');
      out.push('| team mode on loopback | importing 1,000 cases while connected: every case on the other desk | longest task on the importing page | its page blocked in all |');
      out.push('| --- | ---: | ---: | ---: |');
      out.push(`| restore of an export on the Data page | ${t.importMs.toLocaleString('en')} ms | ${t.importLongest.toLocaleString('en')} ms | ${t.importBlocked.toLocaleString('en')} ms |`);
    } catch (e) {
      out.push(`| failed: ${e.message.split('\n')[0]} | | | | | |`);
    }
  }
  // The agent's work for the same escalation (tests/e2e/flows/agent.js).
  const flows = require(path.join(__dirname, '..', 'e2e', 'flows', 'agent'));
  out.push('');
  out.push('| agent flow | clicks | typed characters | keys (Tab, Enter, Space, shortcuts) | Tabs from the case to its next action |');
  out.push('| --- | ---: | ---: | ---: | ---: |');
  out.push('| before issue 13: escalation, mouse | 36 | 449 | | |');
  out.push('| before issue 13: escalation, keyboard | | | 508 in all | 26 |');
  for (const [name, flow] of only ? [] : [
    ['escalation, mouse', flows.escalationByMouse],
    ['escalation, keyboard', flows.escalationByKeyboard],
    ['kept at tier 1, mouse', flows.tierOneByMouse],
  ]) {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
    const page = await context.newPage();
    try {
      const n = await flow(page, base);
      out.push(`| ${name} | ${n.clicks} | ${n.typed} | ${n.keys} | ${n.tabsToNext ?? ''} |`);
    } catch (e) {
      out.push(`| ${name} | failed: ${e.message.split('\n')[0]} | | | |`);
    }
    await context.close();
  }
  await browser.close();
  console.log(out.join('\n'));
})().catch((e) => {
  console.error(`The benchmark failed: ${e.message}`);
  process.exit(1);
});
