// Offline after the first visit, for real: the service worker precaches the build, the network
// is switched off, and the app opens, works and keeps cases. Served from a sub-path, as a team
// would put it on an intranet server. A new build waits for the agent before taking over.
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { test, expect } = require('@playwright/test');

const dist = path.join(__dirname, '..', '..', '..', 'dist');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** A copy of the build on its own server: python's, or (`maxAge`) one that lets browsers keep
 *  every file for that many seconds, as many CDNs and intranet servers do. */
async function serveCopy(port, { maxAge } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'escdesk-'));
  const app = path.join(root, 'tools', 'escalation');
  fs.mkdirSync(app, { recursive: true });
  fs.cpSync(dist, app, { recursive: true });
  let server;
  if (maxAge) {
    server = http.createServer((req, res) => {
      let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (file.endsWith('/')) file += 'index.html';
      fs.readFile(file, (err, body) => {
        if (err) {
          res.writeHead(404);
          res.end();
          return;
        }
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': `max-age=${maxAge}` });
        res.end(body);
      });
    }).listen(port, '127.0.0.1');
    server.kill = () => server.close();
  } else {
    server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
  }
  const url = `http://127.0.0.1:${port}/tools/escalation/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch (e) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, app, stop: () => server.kill() };
}

async function waitControlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

test('works offline after the first visit, from a sub-path', async ({ browser }) => {
  const site = await serveCopy(4191);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
    await waitControlled(page);
    await page.getByRole('link', { name: 'Data' }).click();
    await expect(page.getByRole('region', { name: 'Working offline' })).toContainText('opens and works without a network');

    await context.setOffline(true);
    await page.goto(`${site.url}#/new`);
    await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
    await page.getByLabel(/^Subject/).fill('Opened with no network');
    await page.getByRole('button', { name: 'Open case' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Opened with no network/ })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: /Opened with no network/ })).toBeVisible();
    // A deep link to another address of the app still opens the shell.
    await page.goto(`${site.url}index.html#/`);
    await expect(page.getByRole('link', { name: /Opened with no network/ })).toBeVisible();
    await context.close();
  } finally {
    site.stop();
  }
});

test('a new version waits for the agent, then takes over on reload', async ({ browser }) => {
  const site = await serveCopy(4192);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.url);
    await waitControlled(page);
    await expect(page.getByRole('region', { name: 'A new version is ready' })).toHaveCount(0);

    // Deploy a new build: a different service worker.
    const sw = path.join(site.app, 'sw.js');
    fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(/const BUILD = '([^']+)'/, "const BUILD = '$1-next'"));
    await page.getByRole('link', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Check for a new version' }).click();
    const banner = page.getByRole('region', { name: 'A new version is ready' });
    // The new worker downloads the whole build before it says it is ready: on a busy machine
    // that takes longer than a click does.
    await expect(banner).toBeVisible({ timeout: 20_000 });
    // Nothing happened under the agent's hands: the old version still controls the page.
    const before = await page.evaluate(async () => (await caches.keys()).sort());
    expect(before.some((k) => k.endsWith('-next'))).toBe(true);

    await Promise.all([
      page.waitForEvent('load'),
      banner.getByRole('button', { name: 'Reload to update' }).click(),
    ]);
    await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
    await expect.poll(() => page.evaluate(async () => (await caches.keys()).sort())).toEqual([
      expect.stringMatching(/-next$/),
    ]);
    await expect(page.getByRole('region', { name: 'A new version is ready' })).toHaveCount(0);
    await context.close();
  } finally {
    site.stop();
  }
});

test('a new version on a server that lets browsers keep files still starts: the new worker fetches past the browser cache', async ({ browser }) => {
  const site = await serveCopy(4193, { maxAge: 3600 });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.url + 'index.html');
    await waitControlled(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();

    // Deploy a new build as a rebuild does: the desk's glue and wasm under new names, the
    // pages and the worker's list naming them, the old files gone. The browser still holds
    // the old index.html in its own cache (max-age), which the new worker must not take.
    const names = fs.readdirSync(site.app);
    const stem = names.find((n) => /^escalation-desk-[0-9a-f]+\.js$/.test(n)).slice(0, -3);
    const next = stem.replace(/[0-9a-f]+$/, 'feedfacefeedface');
    const sha = (text) => `'sha256-${require('crypto').createHash('sha256').update(text).digest('base64')}'`;
    for (const n of names.filter((n) => /\.(html|js)$/.test(n))) {
      const file = path.join(site.app, n);
      let text = fs.readFileSync(file, 'utf8');
      // The page's loader names the files, and the page's policy allows the loader by its hash.
      for (const [, script] of text.matchAll(/<script type="?module"?>([\s\S]*?)<\/script>/g)) {
        text = text.split(sha(script)).join(sha(script.split(stem).join(next)));
      }
      fs.writeFileSync(file, text.split(stem).join(next));
    }
    for (const suffix of ['.js', '_bg.wasm']) fs.renameSync(path.join(site.app, stem + suffix), path.join(site.app, next + suffix));
    const sw = path.join(site.app, 'sw.js');
    fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(/const BUILD = '([^']+)'/, "const BUILD = '$1-next'"));

    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    const banner = page.getByRole('region', { name: 'A new version is ready' });
    await expect(banner).toBeVisible({ timeout: 20_000 });
    // The new build's copy of each page is the new page, naming the new files.
    const cached = await page.evaluate(async () => {
      const cache = await caches.open((await caches.keys()).find((k) => k.endsWith('-next')));
      return Promise.all(['./index.html', './console.html'].map(async (p) => (await (await cache.match(p)).text()).includes('feedface')));
    });
    expect(cached).toEqual([true, false]);
    await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload to update' }).click()]);
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible({ timeout: 15_000 });
    // And again the next day, when the browser's own cache has let the old files go.
    await (await context.newCDPSession(page)).send('Network.clearBrowserCache');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible({ timeout: 15_000 });
    await context.close();
  } finally {
    site.stop();
  }
});

test('the manifest makes the app installable', async ({ page, request }) => {
  await page.goto('./');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(new URL(href, page.url()).toString())).json();
  expect(manifest.name).toBe('Escalation Desk');
  expect(manifest.display).toBe('standalone');
  expect(manifest.start_url).toBe('./');
  expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose || 'any'}`)).toEqual(
    expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']),
  );
  for (const icon of manifest.icons) {
    expect((await request.get(new URL(icon.src, page.url()).toString())).ok()).toBe(true);
  }
});
