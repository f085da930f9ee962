// The whole app as one HTML file, opened from disk (file://) with no server: a team can put it
// on a shared drive or mail it around.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('@playwright/test');

test('the single files open from disk, work, keep cases and link to each other', async ({ page }) => {
  const built = path.join(__dirname, '..', '..', '..', 'dist');
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'escdesk-file-')), 'Shared drive');
  fs.mkdirSync(dir);
  // The desk and the console, side by side as the README says.
  const file = path.join(dir, 'escalation-desk.html');
  fs.copyFileSync(path.join(built, 'escalation-desk.html'), file);
  fs.copyFileSync(path.join(built, 'escalation-desk-console.html'), path.join(dir, 'escalation-desk-console.html'));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Issue 31: each single file has a CSP of its own, and nothing the app does breaks it.
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Refused to load (Content Security Policy): ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  for (const name of ['escalation-desk.html', 'escalation-desk-console.html']) {
    const html = fs.readFileSync(path.join(dir, name), 'utf8');
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
    expect(csp, `${name} has a CSP meta`).not.toBeNull();
    expect(csp[1]).toContain("'wasm-unsafe-eval'");
    expect(csp[1]).toMatch(/script-src [^;]*'sha256-/);
    expect(csp[1]).not.toContain("'unsafe-inline'");
  }
  await page.goto(`file://${file}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  await page.getByRole('link', { name: 'New case' }).first().click();
  await page.getByLabel(/^Subject/).fill('Opened from a shared drive');
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Opened from a shared drive/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: /Opened from a shared drive/ })).toBeVisible();
  await page.getByRole('link', { name: 'Data' }).click();
  await expect(page.getByRole('region', { name: 'Working offline' })).toContainText('opened from a file');
  // The console's file reads the same cases.
  await expect(page.getByRole('region', { name: 'Storage used' })).toContainText('1 case takes');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await expect(page.getByRole('link', { name: /Opened from a shared drive/ })).toBeVisible();
  expect(errors).toEqual([]);
  expect(violations).toEqual([]);
});
