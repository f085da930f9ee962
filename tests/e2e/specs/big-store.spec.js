// A big store is read in parts: the newest cases and the one a link names first, the rest in
// the background. The list says so while it reads; everything is there at the end, and an
// export waits for all of it.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { openApp } = require('./helpers');

const COUNT = 900;

function plant(count) {
  const values = {};
  for (let i = 0; i < count; i++) {
    const id = `k${String(i).padStart(6, '0')}`;
    const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    values[`escdesk:case:${id}`] = JSON.stringify({
      v: 7,
      kind: 'case',
      data: {
        id,
        reference: `ESC-2026-${String(i + 1).padStart(4, '0')}`,
        rev: 1,
        status: 'draft',
        created_at: at,
        updated_at: at,
        details: {
          customer: { name: `Customer ${i}`, contact: '', account: '', vip: false },
          channel: 'phone', product: '', subject: `Planted case number ${i}`, description: '',
          expectation: '', deadline: null, steps: [], contact_count: 1, owner: '', impact: '', evidence: '',
        },
        timeline: [{ at, event: { type: 'opened', reference: `ESC-2026-${String(i + 1).padStart(4, '0')}` } }],
        triage: null,
        decisions: [],
        ticket_id: null,
      },
    });
  }
  return values;
}

test('a big store shows its newest cases first, reads the rest, and exports all of it', async ({ page }) => {
  await openApp(page);
  await page.evaluate((values) => {
    for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v);
  }, plant(COUNT));

  // A link to the oldest case works straight away, though it is read first only for the link.
  await page.goto('./#/case/k000000');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'ESC-2026-0001 · Planted case number 0' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await expect(page.getByRole('status').filter({ hasText: new RegExp(`^${COUNT} cases$`) })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: 'reading' })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Cases found' }).getByRole('link').first()).toContainText(`Planted case number ${COUNT - 1}`);
  await page.getByLabel('Search').fill('number 3');
  await expect(page.getByRole('status').filter({ hasText: `of ${COUNT} cases` })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download all cases' }).first().click();
  const file = JSON.parse(fs.readFileSync(await (await download).path(), 'utf8'));
  expect(file.cases.length).toBe(COUNT);
});
