// Storage that never loses data, in a real browser: broken values, a full quota, storage the
// browser refuses, newer data, export and restore, and two tabs on the same cases.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, storedKeys, saved, escalateByHand } = require('./helpers');

test('a corrupted stored value is set aside, reported, and kept', async ({ page }) => {
  await openApp(page);
  await openCase(page, { subject: 'A healthy case' });
  await page.evaluate(() => localStorage.setItem('escdesk:case:broken1', '{"v":2,"kind":"case","data":{"id":'));
  await page.reload();

  const banner = page.getByRole('region', { name: "Some stored data couldn't be read" });
  await expect(banner).toContainText("One stored value couldn't be read");
  await expect(page.getByRole('heading', { level: 1, name: /A healthy case/ })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('escdesk:quarantine:case:broken1'))).toBe(
    '{"v":2,"kind":"case","data":{"id":',
  );

  await banner.getByRole('link', { name: 'Review them on the Data page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
  const aside = page.getByRole('region', { name: 'Set aside' });
  await expect(aside).toContainText('not valid JSON');
  const download = page.waitForEvent('download');
  await aside.getByRole('button', { name: 'Download escdesk:quarantine:case:broken1' }).click();
  const file = await download;
  expect(fs.readFileSync(await file.path(), 'utf8')).toBe('{"v":2,"kind":"case","data":{"id":');

  page.once('dialog', (d) => d.accept());
  await aside.getByRole('button', { name: 'Discard escdesk:quarantine:case:broken1' }).click();
  await expect(aside).toContainText('Nothing is set aside');
  expect(await storedKeys(page)).not.toContain('escdesk:quarantine:case:broken1');
});

test('a full storage keeps the edit on screen, says so, and offers everything as a file', async ({ page }) => {
  await openApp(page);
  await openCase(page, { subject: 'Before the disk filled' });
  // Fill the real quota: what is left of about 5 MB.
  await page.evaluate(() => {
    let chunk = 'x'.repeat(256 * 1024);
    let n = 0;
    while (chunk.length >= 8) {
      try {
        localStorage.setItem(`filler:${n++}`, chunk);
      } catch (e) {
        chunk = chunk.slice(0, chunk.length / 2);
      }
    }
  });
  await page.getByLabel(/^Subject/).fill('Edited while the storage is full');
  await saved(page);

  const banner = page.getByRole('region', { name: 'Not saved' });
  await expect(banner).toContainText("the browser's storage for this site is full");
  await expect(banner).toContainText('kept in this tab only');
  // The edit stays on screen, in the heading and the list.
  await expect(page.getByRole('heading', { level: 1, name: /Edited while the storage is full/ })).toBeVisible();

  const download = page.waitForEvent('download');
  await banner.getByRole('button', { name: 'Download all cases' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^escalation-desk-cases-\d{4}-\d{2}-\d{2}-\d{4}\.json$/);
  const exported = JSON.parse(fs.readFileSync(await file.path(), 'utf8'));
  expect(exported.cases[0].details.subject).toBe('Edited while the storage is full');

  // Free space, try again: saved, banner gone, and it survives a reload.
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler:')).forEach((k) => localStorage.removeItem(k)));
  await banner.getByRole('button', { name: 'Try saving again' }).click();
  await expect(page.getByRole('region', { name: 'Not saved' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: /Edited while the storage is full/ })).toBeVisible();
});

test('when the browser refuses storage the app says nothing is kept and still works', async ({ page }) => {
  // What Chrome does with site data blocked: reading window.localStorage throws SecurityError.
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
  });
  await openApp(page);
  const banner = page.getByRole('region', { name: 'Nothing is being kept' });
  await expect(banner).toContainText("doesn't let this site store data");
  await openCase(page, { subject: 'Worked on from memory' });
  const download = page.waitForEvent('download');
  await banner.getByRole('button', { name: 'Download all cases' }).click();
  const exported = JSON.parse(fs.readFileSync(await (await download).path(), 'utf8'));
  expect(exported.cases.map((c) => c.details.subject)).toEqual(['Worked on from memory']);
});

test('data written by a newer version makes this tab read-only and untouched', async ({ page }) => {
  await openApp(page);
  await openCase(page, { subject: 'Mine' });
  const future = '{"v":8,"kind":"case","data":{"from":"the future"}}';
  await page.evaluate((v) => localStorage.setItem('escdesk:case:future1', v), future);
  await page.reload();
  const banner = page.getByRole('region', { name: 'Read-only' });
  await expect(banner).toContainText('newer version of Escalation Desk (format 8; this version reads up to 7)');
  await expect(page.getByText('Read only', { exact: true })).toBeVisible();
  await expect(page.getByLabel(/^Subject/)).toBeDisabled();
  expect(await page.evaluate(() => localStorage.getItem('escdesk:case:future1'))).toBe(future);
});

test('export everything, restore into an empty browser, and refuse a bad file', async ({ page, browser }) => {
  await openApp(page);
  const ref = await openCase(page, { subject: 'Travels by file', customer: 'Ngozi Okafor' });
  await escalateByHand(page);
  await page.getByRole('link', { name: 'Data' }).click();
  await expect(page.getByText(/1 case takes \d+ KB/)).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download all cases' }).click();
  const path = await (await download).path();

  const fresh = await (await browser.newContext()).newPage();
  await openApp(fresh, '#/data');
  const picker = fresh.getByLabel('Restore or import a file…');

  await picker.setInputFiles({ name: 'junk.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"') });
  await expect(fresh.getByRole('alert')).toContainText('Nothing was restored from junk.json. This is not an Escalation Desk export');
  await picker.setInputFiles({
    name: 'future.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format":"escalation-desk/cases","v":9,"cases":[]}'),
  });
  await expect(fresh.getByRole('alert')).toContainText('made by a newer version');
  expect(await storedKeys(fresh)).toEqual([]);

  await picker.setInputFiles(path);
  await expect(fresh.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 added');
  await fresh.getByRole('link', { name: 'Cases' }).click();
  await fresh.getByRole('link', { name: new RegExp(`${ref}.*Travels by file`) }).click();
  await expect(fresh.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
  await expect(fresh.getByLabel('Name', { exact: true })).toHaveValue('Ngozi Okafor');

  // The same file again changes nothing.
  await fresh.getByRole('link', { name: 'Data' }).click();
  await fresh.getByLabel('Restore or import a file…').setInputFiles(path);
  await expect(fresh.getByRole('status').filter({ hasText: 'Nothing new' })).toHaveText(/^Nothing new in .*: its case is already here and up to date\.$/);
});

test('two tabs: an edit in one shows in the other, edits to different parts merge, the same part asks', async ({ page }) => {
  // Each tab saves half a second after typing stops. To have both tabs hold an edit at the
  // same moment, the test holds the clock while they type, then lets it run.
  await page.clock.install();
  await openApp(page);
  const ref = await openCase(page, { subject: 'Shared between tabs' });
  const caseUrl = page.url();

  const tabB = await page.context().newPage();
  await tabB.goto(caseUrl);
  await expect(tabB.getByRole('heading', { level: 1, name: `${ref} · Shared between tabs` })).toBeVisible();

  // A saves; B, untouched, follows.
  await page.getByLabel('Owner').fill('Tab A owner');
  await saved(page);
  await expect(tabB.getByLabel('Owner')).toHaveValue('Tab A owner');

  // Different parts at once: B writes the expectation while A renames the customer; nothing
  // is asked.
  await page.clock.pauseAt(Date.now() + 60_000);
  await tabB.getByLabel('Expectation').fill('A refund this week');
  await page.getByLabel('Name', { exact: true }).fill('Ana Souza');
  await page.getByLabel('Name', { exact: true }).press('Enter');
  await expect(tabB.getByText('This case was also changed in another tab')).toBeVisible();
  await page.clock.resume();
  await saved(tabB);
  await expect(tabB.getByRole('dialog', { name: 'Edited in two places' })).toBeHidden();
  await expect(tabB.getByLabel('Name', { exact: true })).toHaveValue('Ana Souza');
  await expect(tabB.getByLabel('Expectation')).toHaveValue('A refund this week');
  await expect(page.getByLabel('Expectation')).toHaveValue('A refund this week');
  await expect(tabB.getByRole('region', { name: 'Timeline' }).getByText('Edited in two places at once; kept changes from both sides')).toBeVisible();

  // The same field at once: both edit the description; A saves first; B's save asks.
  // (Different fields of one part, as the expectation and the name above, merge unasked.)
  await escalateByHand(page);
  await expect(tabB.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
  await page.clock.pauseAt(Date.now() + 120_000);
  await tabB.getByLabel('Description').fill('Written in tab B');
  await page.getByLabel('Description').fill('Written in tab A');
  await page.getByLabel(/^Subject/).press('Enter');
  await expect(tabB.getByText('This case was also changed in another tab')).toBeVisible();
  await page.clock.resume();

  const dialog = tabB.getByRole('dialog', { name: 'Edited in two places' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('both changed the same part: Issue (subject, description, channel, product, owner)');
  await dialog.getByRole('button', { name: 'Keep my version' }).click();
  await expect(dialog).toBeHidden();

  const timeline = tabB.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText("Edited in two places at once; kept Issue (subject, description, channel, product, owner): this tab's")).toBeVisible();
  await expect(timeline.getByText('Status changed from Draft to Escalated')).toBeVisible();
  // Both tabs' edits, saved close together, read as one burst.
  await expect(timeline.getByText(/^Edited description$/).first()).toBeVisible();
  // And tab A sees the result: B's issue, and the status A set.
  await expect(page.getByLabel('Description')).toHaveValue('Written in tab B');
  await expect(page.getByLabel(/^Subject/)).toHaveValue('Shared between tabs');
  await expect(page.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
});
