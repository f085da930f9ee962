// A panic shows what happened and a way to keep every case, not a blank page.
const { test, expect } = require('@playwright/test');
const { openApp, openCase } = require('./helpers');

test('a panic shows a message and a download of everything, which restores', async ({ page, browser }) => {
  await openApp(page);
  const ref = await openCase(page, { subject: 'Kept through a crash', customer: 'Søren Jørgensen' });
  await page.goto('./#/crash-test');
  const alert = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Escalation Desk stopped' }) });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("Your cases are still stored in this browser");
  await expect(page.getByRole('main')).toBeHidden();
  const download = page.waitForEvent('download');
  await alert.getByRole('link', { name: 'Download everything' }).click();
  const file = await (await download).path();

  const fresh = await (await browser.newContext()).newPage();
  await openApp(fresh, '#/data');
  await fresh.getByLabel('Restore or import a file…').setInputFiles(file);
  await expect(fresh.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 added');
  await fresh.getByRole('link', { name: 'Cases' }).click();
  await expect(fresh.getByRole('link', { name: new RegExp(`${ref}.*Kept through a crash`) })).toBeVisible();
});

test('a panic while the app starts shows the crash screen too, not the loading frame', async ({ page }) => {
  await page.goto('./#/crash-test');
  const alert = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Escalation Desk stopped' }) });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('link', { name: 'Download everything' })).toBeVisible();
  await expect(alert.getByRole('link', { name: 'Reload the app' })).toBeVisible();
});
