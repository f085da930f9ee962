// The benchmark: download sizes, and how long the case list takes to appear with 0, 1,000 and
// 5,000 cases stored in real localStorage, in headless Chromium. Prints a Markdown table.
// Run through .ci/bench, which builds the app, serves dist/ and passes the seed files.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { chromium } = require(path.join(__dirname, '..', 'e2e', 'node_modules', '@playwright/test'));

const [base, dist, ...seedFiles] = process.argv.slice(2);
const RUNS = 7;

function sizes() {
  const rows = [];
  let total = 0;
  let totalGz = 0;
  for (const ext of ['wasm', 'js', 'css']) {
    const file = fs.readdirSync(dist).find((f) => f.endsWith(`.${ext}`));
    const raw = fs.readFileSync(path.join(dist, file));
    const gz = zlib.gzipSync(raw, { level: 9 }).length;
    total += raw.length;
    totalGz += gz;
    rows.push(`| ${ext} | ${raw.length.toLocaleString('en')} B | ${gz.toLocaleString('en')} B |`);
  }
  rows.push(`| **total** | ${total.toLocaleString('en')} B | **${totalGz.toLocaleString('en')} B** |`);
  return rows;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function listTimes(browser, seedFile) {
  const seed = seedFile ? JSON.parse(fs.readFileSync(seedFile, 'utf8')) : {};
  const count = Object.keys(seed).filter((k) => k.includes(':case:')).length;
  const context = await browser.newContext();
  const page = await context.newPage();
  // Marks the moment the list (or its empty state) first appears, from navigation start.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('.case-item, .empty')) {
        window.__shown = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
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
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    await page.waitForFunction(() => window.__shown !== undefined);
    times.push(await page.evaluate(() => window.__shown));
  }
  const shownText = await page.locator('.result-count').innerText();
  await context.close();
  return { count, chars: planted.chars, median: median(times), worst: Math.max(...times), shownText };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const out = [];
  out.push(`Measured ${new Date().toISOString().slice(0, 10)} on ${require('os').cpus().length} cores (${require('os').cpus()[0].model.trim()}), Chromium headless, release build.`);
  out.push('');
  out.push('| download | raw | gzip -9 |');
  out.push('| --- | ---: | ---: |');
  out.push(...sizes());
  out.push('');
  out.push(`| cases stored | storage used (characters) | list on screen, median of ${RUNS} | worst | list says |`);
  out.push('| ---: | ---: | ---: | ---: | --- |');
  for (const file of [null, ...seedFiles]) {
    const r = await listTimes(browser, file);
    if (r.error) {
      out.push(`| ${r.count.toLocaleString('en')} | does not fit: ${r.error} | | | |`);
    } else {
      out.push(`| ${r.count.toLocaleString('en')} | ${(r.chars || 0).toLocaleString('en')} | ${r.median.toFixed(0)} ms | ${r.worst.toFixed(0)} ms | ${r.shownText} |`);
    }
  }
  await browser.close();
  console.log(out.join('\n'));
})().catch((e) => {
  console.error(`The benchmark failed: ${e.message}`);
  process.exit(1);
});
