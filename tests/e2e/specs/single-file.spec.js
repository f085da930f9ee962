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
});
