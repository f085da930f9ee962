// End-to-end tests: real headless Chromium (Debian's, never a downloaded one) against the
// release build in dist/, served as plain static files.
const { defineConfig } = require('@playwright/test');

const port = Number(process.env.E2E_PORT || 4173);
// E2E_DIST and E2E_OUT let a second build be tested beside the first (another folder, port).
const dist = process.env.E2E_DIST || '../../dist';
const out = process.env.E2E_OUT || './test-results';

module.exports = defineConfig({
  testDir: './specs',
  outputDir: out,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: `${out}/results.json` }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `python3 -m http.server ${port} --bind 127.0.0.1 --directory ${dist}`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'ignore',
  },
});
