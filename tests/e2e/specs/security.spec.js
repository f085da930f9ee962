// The Content-Security-Policy allows only what the app needs, and script-like text typed into
// any field runs nowhere: not in the list, the case, the triage, the handoff preview or export.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { openApp, saved } = require('./helpers');

const evil = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>[x](javascript:window.__pwned=1)`;

test('hostile text is shown as text everywhere, and the policy is never violated', async ({ page }) => {
  await page.addInitScript(() => {
    window.__pwned = 0;
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await openApp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).not.toContain('unsafe-inline');

  await page.getByRole('link', { name: 'New case' }).first().click();
  for (const label of ['Name', 'Email or phone', 'Account or plan', 'Product or area', 'Owner']) {
    await page.getByLabel(label, { exact: true }).fill(evil);
  }
  await page.getByLabel(/^Subject/).fill(`Subject ${evil}`);
  for (const label of ['Description', 'Expectation']) await page.getByLabel(label).fill(evil);
  await page.getByLabel('Step taken').fill(evil);
  await page.getByLabel('Outcome').fill(evil);
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Subject <img/ })).toBeVisible();
  await page.getByLabel('Impact', { exact: true }).fill(evil);
  await page.getByLabel('Evidence').fill(evil);
  await saved(page);

  await page.getByRole('link', { name: 'Start triage' }).click();
  await page.getByRole('checkbox', { name: 'Legal threat' }).check();
  await expect(page.getByRole('region', { name: /^Recommended/ })).toContainText(evil.slice(0, 20));
  await page.getByRole('button', { name: /^Accept/ }).click();
  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  for (const format of ['Markdown', 'Plain text', 'JSON', 'Customer message']) {
    await page.getByLabel(format, { exact: true }).check();
    await expect(page.locator('pre.preview')).not.toBeEmpty();
  }
  await page.getByRole('link', { name: 'Cases' }).click();
  await expect(page.getByRole('link', { name: /Subject <img/ })).toBeVisible();
  await page.getByRole('link', { name: 'Data' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the list as CSV' }).click();
  expect(fs.readFileSync(await (await download).path(), 'utf8')).toContain('<img src=x');

  expect(await page.evaluate(() => document.querySelectorAll('main img, main script').length)).toBe(0);
  expect(await page.evaluate(() => window.__pwned)).toBe(0);
  expect(await page.evaluate(() => window.__violations)).toEqual([]);
});
