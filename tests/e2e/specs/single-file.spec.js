// The whole app as one HTML file, opened from disk (file://) with no server: a team can put it
// on a shared drive or mail it around.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('@playwright/test');

test('the single file opens from disk, works and keeps cases', async ({ page }) => {
  const built = path.join(__dirname, '..', '..', '..', 'dist', 'escalation-desk.html');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escdesk-file-'));
  const file = path.join(dir, 'Escalation Desk.html');
  fs.copyFileSync(built, file);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
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
  expect(errors).toEqual([]);
});
