// Offline after the first visit, for real: the service worker precaches the build, the network
// is switched off, and the app opens, works and keeps cases. Served from a sub-path, as a team
// would put it on an intranet server. A new build waits for the agent before taking over.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { test, expect } = require('@playwright/test');

const dist = path.join(__dirname, '..', '..', '..', 'dist');

async function serveCopy(port) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'escdesk-'));
  const app = path.join(root, 'tools', 'escalation');
  fs.mkdirSync(app, { recursive: true });
  fs.cpSync(dist, app, { recursive: true });
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
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
