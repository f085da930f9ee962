// Issue 35: dist/ carries a brotli and a gzip copy of every text and wasm file, and a server
// that sends precompressed files (as nginx's brotli_static / gzip_static and Caddy's
// `precompressed br gzip` do) delivers the desk as brotli: the same bytes, fewer of them.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { test, expect } = require('@playwright/test');
const { serve } = require('../serve-precompressed');

const dist = path.join(__dirname, '..', '..', '..', 'dist');
const KINDS = /\.(html|js|mjs|css|wasm|json|svg|webmanifest|txt)$/;

test('every text and wasm file has a brotli and a gzip copy that give back its bytes', () => {
  const names = fs.readdirSync(dist).filter((n) => KINDS.test(n));
  expect(names.length).toBeGreaterThan(10);
  let checked = 0;
  for (const name of names) {
    const raw = fs.readFileSync(path.join(dist, name));
    for (const [suffix, open] of [['.br', zlib.brotliDecompressSync], ['.gz', zlib.gunzipSync]]) {
      const copy = path.join(dist, name + suffix);
      // A copy is left out only where it would not be smaller (a tiny file).
      if (!fs.existsSync(copy)) {
        expect(raw.length, `${name}${suffix} is missing`).toBeLessThan(300);
        continue;
      }
      expect(open(fs.readFileSync(copy)).equals(raw), `${name}${suffix} gives back other bytes`).toBe(true);
      checked += 1;
    }
  }
  // The desk's own wasm and glue, at least, in both forms; brotli the smaller.
  const wasm = names.find((n) => /^escalation-desk-[0-9a-f]+_bg\.wasm$/.test(n));
  const size = (n) => fs.statSync(path.join(dist, n)).size;
  expect(size(wasm + '.br')).toBeLessThan(size(wasm + '.gz'));
  expect(checked).toBeGreaterThan(20);
});

test('a server that sends the compressed copies delivers the desk as brotli, and it works', async ({ browser }) => {
  const site = await serve(dist, 4197);
  try {
    // Chromium asks for brotli over HTTPS only (middleboxes used to damage other encodings
    // over plain HTTP); on this loopback HTTP server the test asks for it as a browser on
    // HTTPS does. Chromium decodes it either way.
    const context = await browser.newContext({ extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip' } });
    const page = await context.newPage();
    const wasm = page.waitForResponse((r) => /\/escalation-desk-[0-9a-f]+_bg\.wasm$/.test(r.url()));
    await page.goto(site.url);
    const response = await wasm;
    expect(response.headers()['content-encoding']).toBe('br');
    await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible({ timeout: 20_000 });
    // It works: a case opens on the desk delivered that way.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
    await page.getByLabel(/^Subject/).fill('Delivered as brotli');
    await page.getByRole('button', { name: 'Open case' }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Delivered as brotli/ })).toBeVisible();
    const desk = site.sent.find((s) => /^escalation-desk-[0-9a-f]+_bg\.wasm$/.test(s.name));
    const raw = fs.statSync(path.join(dist, desk.name)).size;
    expect(desk.encoding).toBe('br');
    expect(desk.bytes).toBeLessThan(raw / 3);
    await context.close();

    // A browser that asks for gzip only gets the gzip copy; one that asks for nothing, the file.
    for (const [asked, want] of [['gzip', 'gzip'], ['identity', undefined]]) {
      const other = await browser.newContext({ extraHTTPHeaders: { 'Accept-Encoding': asked } });
      const p = await other.newPage();
      const r = p.waitForResponse((r) => /\/escalation-desk-[0-9a-f]+_bg\.wasm$/.test(r.url()));
      await p.goto(site.url);
      expect((await r).headers()['content-encoding'], asked).toBe(want);
      await expect(p.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible({ timeout: 20_000 });
      await other.close();
    }
  } finally {
    site.server.close();
  }
});
