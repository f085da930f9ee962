// Importing a version of a case edited in both places: different parts merge on their own; the
// same part changed on both sides is the person's decision, and both histories stay.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, saved, escalateByHand } = require('./helpers');

test('an edit in the same place on both sides is asked, not overwritten', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  await openApp(a);
  const ref = await openCase(a, { subject: 'Original subject', customer: 'Kwame Mensah' });
  await a.getByRole('link', { name: 'Data' }).click();
  let dl = a.waitForEvent('download');
  await a.getByRole('button', { name: 'Download all cases' }).click();
  const original = await (await dl).path();

  const b = await (await browser.newContext()).newPage();
  await openApp(b, '#/data');
  await b.getByLabel('Restore or import a file…').setInputFiles(original);
  await b.getByRole('link', { name: 'Cases' }).click();
  await b.getByRole('link', { name: new RegExp(ref) }).click();
  await b.getByLabel(/^Subject/).fill('Subject from B');
  await b.getByLabel('Owner').fill('B owner');
  await saved(b);
  await escalateByHand(b);
  await b.getByRole('link', { name: 'Data' }).click();
  dl = b.waitForEvent('download');
  await b.getByRole('button', { name: 'Download all cases' }).click();
  const fromB = await (await dl).path();

  // Meanwhile A changes the subject too, and the customer.
  await a.getByRole('link', { name: 'Cases' }).click();
  await a.getByRole('link', { name: new RegExp(ref) }).click();
  await a.getByLabel(/^Subject/).fill('Subject from A');
  await a.getByLabel('Email or phone').fill('kwame@example.com');
  await saved(a);

  await a.getByRole('link', { name: 'Data' }).click();
  await a.getByLabel('Restore or import a file…').setInputFiles(fromB);
  await expect(a.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 case was changed in the same place here and in the file');
  const decide = a.getByRole('region', { name: 'Your decision: changed in two places' });
  await expect(decide).toBeVisible();
  await expect(decide.getByRole('button', { name: 'Merge with these choices' })).toBeDisabled();
  const AxeBuilder = require('@axe-core/playwright').default;
  const axe = await new AxeBuilder({ page: a }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // Each side names every field of the part where the two differ (the owner only B set).
  await expect(decide.getByLabel("Keep this browser's: Subject from A; owner: (empty)")).toBeVisible();
  await decide.getByLabel("Take the file's: Subject from B; owner: B owner").check();
  await decide.getByRole('button', { name: 'Merge with these choices' }).click();
  await expect(decide).toHaveCount(0);

  await a.getByRole('link', { name: 'Cases' }).click();
  await a.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(a.getByLabel(/^Subject/)).toHaveValue('Subject from B');
  await expect(a.getByLabel('Owner')).toHaveValue('B owner');
  await expect(a.getByLabel('Email or phone')).toHaveValue('kwame@example.com');
  await expect(a.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
  const timeline = a.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Edited customer name, subject', { exact: false }).or(timeline.getByText('Edited contact, subject'))).toBeVisible();
  await expect(timeline.getByText('Edited subject, owner')).toBeVisible();
  await expect(timeline.getByText(/kept Issue .*: the file's/)).toBeVisible();
});

test('pasted and hostile imports: bad input says why and changes nothing', async ({ page }) => {
  // A 40 MB file is handed to the page: the refusal is quick, the hand-over is not.
  test.setTimeout(60_000);
  await openApp(page);
  const ref = await openCase(page, { subject: 'Already here' });
  await page.getByRole('link', { name: 'Data' }).click();
  const paste = page.getByLabel('Pasted handoff or export (JSON)');
  const keysBefore = await page.evaluate(() => Object.keys(localStorage).sort());

  await paste.fill('{"format":"escalation-desk/cases","v":5,"cases":[{"id":"x"}');
  await page.getByRole('button', { name: 'Import pasted text' }).click();
  await expect(page.getByRole('alert')).toContainText('Nothing was imported from the pasted text. This is not an Escalation Desk export');

  await paste.fill(`{"format":"escalation-desk/cases","v":5,"cases":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  await page.getByRole('button', { name: 'Import pasted text' }).click();
  await expect(page.getByRole('alert')).toContainText('This is not an Escalation Desk export');

  const huge = { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(40 * 1024 * 1024, 32) };
  await page.getByLabel('Restore or import a file…').setInputFiles(huge);
  await expect(page.getByRole('alert')).toContainText('larger than 32 MB');
  expect(await page.evaluate(() => Object.keys(localStorage).sort())).toEqual(keysBefore);

  // A handoff pasted from a chat, with script-like text, imports as text.
  const exported = JSON.parse(
    JSON.stringify({
      format: 'escalation-desk/handoff', v: 1, case_schema: 5, redacted: false, summary: {},
      case: {
        id: 'pasted-1', reference: 'ESC-2026-0999', rev: 1, status: 'escalated',
        created_at: '2026-11-20T10:00:00Z', updated_at: '2026-11-20T10:00:00Z',
        details: { customer: { name: '<img src=x onerror=alert(1)>', contact: '', account: '', vip: false }, channel: 'chat', product: '', subject: 'Pasted <script>alert(1)</script>', description: '', expectation: '', deadline: null, steps: [], contact_count: 1, owner: '', impact: '', evidence: '' },
        timeline: [], triage: null, decisions: [], ticket_id: null,
      },
    }),
  );
  await paste.fill(JSON.stringify(exported));
  await page.getByRole('button', { name: 'Import pasted text' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 added');
  await page.getByRole('link', { name: 'Cases' }).click();
  await expect(page.getByRole('link', { name: /ESC-2026-0999 Pasted <script>/ })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(ref) })).toBeVisible();
  expect(await page.evaluate(() => document.querySelectorAll('main img, main script').length)).toBe(0);
});
