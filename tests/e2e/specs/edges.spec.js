// Never lost at the edges (issue 31): text past a field's limit is refused at once and nothing
// unreadable is stored; a step typed but not added survives leaving in a hurry; every box that
// keeps a draft says when a full storage couldn't keep it, holds it, and closing the tab asks;
// a restore into nearly full storage says how many it wrote; two tabs writing one field at
// one instant never lose one side silently; a merge question re-asks when the case changed.
const { test, expect } = require('@playwright/test');
const { openApp, openCase, saved, escalateByHand, download, downloadAll } = require('./helpers');

const LIMIT = 100_000;

/** Fills what is left of the real quota (about 5 MB), so the next write fails. */
async function fillStorage(page) {
  await page.evaluate(() => {
    let chunk = 'x'.repeat(256 * 1024);
    let n = 0;
    while (chunk.length >= 1) {
      try {
        localStorage.setItem(`filler:${n++}`, chunk);
      } catch (e) {
        chunk = chunk.slice(0, Math.floor(chunk.length / 2));
      }
    }
  });
}

async function freeStorage(page) {
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler:')).forEach((k) => localStorage.removeItem(k)));
}

/** Back to the case from anywhere, the way an agent goes: Cases, then its row. */
async function backToCase(page, ref) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await page.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(ref) })).toBeVisible();
}

test('text past a field limit is refused at once with the limit, and the case reads back after a reload', async ({ page }) => {
  await openApp(page);
  const ref = await openCase(page, { subject: 'A long log', description: 'Short and kept' });
  await saved(page);
  const description = page.getByLabel('Description');

  // 5 MB typed in (as a paste inserts it): refused, said with the limit, nothing stored.
  await description.focus();
  await page.keyboard.insertText('L'.repeat(5 * 1024 * 1024));
  const alert = page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: 'a field holds at most 100,000' });
  await expect(alert.first()).toContainText('Attach it as a file instead');
  await expect(description).toHaveValue('Short and kept');

  // A 30 MB paste is answered at once: measured inside the page, from the paste to the
  // refusal, and the box takes nothing.
  const took = await page.evaluate(() => {
    const box = document.activeElement;
    const data = new DataTransfer();
    data.setData('text/plain', 'P'.repeat(30 * 1024 * 1024));
    const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    const start = performance.now();
    box.dispatchEvent(paste);
    return { ms: performance.now() - start, refused: paste.defaultPrevented };
  });
  expect(took.refused).toBe(true);
  expect(took.ms).toBeLessThan(1000);
  await expect(page.getByText('Not pasted: that text is 31,457,280 characters')).toBeVisible();

  // Up to the limit is kept as usual.
  await description.fill('K'.repeat(LIMIT));
  await saved(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(ref) })).toBeVisible();
  expect((await description.inputValue()).length).toBe(LIMIT);
  await expect(page.getByRole('region', { name: "Some stored data couldn't be read" })).toHaveCount(0);
});

test('a case an older version stored past the limits is read back whole', async ({ page }) => {
  await openApp(page);
  const at = '2026-11-02T09:00:00Z';
  const big = 'O'.repeat(4_500_000);
  await page.evaluate(({ at, big }) => {
    localStorage.setItem('escdesk:case:old1', JSON.stringify({
      v: 7, kind: 'case',
      data: {
        id: 'old1', reference: 'ESC-2026-0042', rev: 3, status: 'draft', created_at: at, updated_at: at,
        details: {
          customer: { name: 'Old Log', contact: '', account: '', vip: false },
          channel: 'phone', product: '', subject: 'Stored before the limits', description: big,
          expectation: '', deadline: null, steps: [], contact_count: 1, owner: '', impact: '', evidence: '',
        },
        timeline: [{ at, event: { type: 'opened', reference: 'ESC-2026-0042' } }],
        triage: null, decisions: [], ticket_id: null,
      },
    }));
  }, { at, big });
  await page.reload();
  await page.getByRole('link', { name: /ESC-2026-0042/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Stored before the limits/ })).toBeVisible();
  expect((await page.getByLabel('Description').inputValue()).length).toBe(big.length);
  await expect(page.getByRole('region', { name: "Some stored data couldn't be read" })).toHaveCount(0);
});

test('a step typed but not added survives leaving within half a second, 20 times', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  const ref = await openCase(page, { subject: 'Left in a hurry' });
  await saved(page);
  const ways = ['menu', 'brand', 'back', 'shortcut'];
  for (let i = 0; i < 20; i++) {
    const way = ways[i % ways.length];
    await backToCase(page, ref);
    await page.getByLabel('Step taken').fill(`Step ${i} by ${way}`);
    await page.getByLabel('Owner').fill(`Owner ${i}`);
    if (way === 'menu') {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
    } else if (way === 'brand') {
      await page.getByRole('link', { name: 'Escalation Desk' }).first().click();
      await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
    } else if (way === 'back') {
      await page.goBack();
      await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
    } else {
      await page.keyboard.press('Escape');
      await page.keyboard.press('c');
      await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
    }
  }
  // Past every timer a screen left behind.
  await page.waitForTimeout(800);
  await backToCase(page, ref);
  const steps = page.getByRole('group', { name: 'Steps already taken' });
  for (let i = 0; i < 20; i++) await expect(steps).toContainText(`Step ${i} by ${ways[i % ways.length]}`);
  await expect(page.getByLabel('Owner')).toHaveValue('Owner 19');
  await expect(page.getByRole('region', { name: 'Timeline' }).getByText(/^Edited .*\bsteps\b/)).toHaveCount(0);
});

test('storage full: every box that keeps a draft says so, holds what was typed, and closing the tab asks', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await openApp(page);
  const ref = await openCase(page, { subject: 'Typed into a full disk', customer: 'Nina Ortiz', contact: 'nina@example.com' });
  await page.getByLabel('Owner').fill('Sam Rivera');
  await saved(page);
  await escalateByHand(page);
  await fillStorage(page);
  const banner = page.getByRole('region', { name: 'Not saved' });

  // The update for the customer.
  await page.getByLabel('Update given to the customer').fill('Told her a manager will call');
  await expect(banner).toContainText(`Couldn't keep what you typed in the update to the customer on ${ref}: the browser's storage for this site is full`);
  // The reason to escalate by hand.
  await page.locator('summary', { hasText: 'Escalate by hand' }).click();
  await page.getByRole('form', { name: 'Escalate by hand' }).getByLabel('Reason (goes on the timeline)').fill('She asked twice for a manager');
  await expect(banner).toContainText('the reason to change level');
  // Held in the tab: leaving and coming back shows them.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
  await backToCase(page, ref);
  await expect(page.getByLabel('Update given to the customer')).toHaveValue('Told her a manager will call');
  await expect(page.getByRole('form', { name: 'Escalate by hand' }).getByLabel('Reason (goes on the timeline)')).toHaveValue('She asked twice for a manager');

  // The handoff's mask choice stays chosen, and the preview stays masked.
  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  await page.getByLabel(/^Mask the customer's contact details/).check();
  await expect(banner).toContainText("the handoff's choice to mask the contact");
  await backToCase(page, ref);
  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  await expect(page.getByLabel(/^Mask the customer's contact details/)).toBeChecked();
  await expect(page.locator('pre')).not.toContainText('nina@example.com');

  // The close-out form.
  await backToCase(page, ref);
  await page.getByRole('main').getByRole('link', { name: 'Mark resolved', exact: true }).first().click();
  await page.getByLabel('What resolved it').fill('Refund re-issued to the card on file');
  await expect(banner).toContainText('the close-out');

  // The new-case form.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await page.getByLabel(/^Subject/).fill('Opened while full');
  await expect(banner).toContainText("the new case's form");
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await expect(page.getByLabel(/^Subject/)).toHaveValue('Opened while full');

  // Closing the tab with anything held asks first.
  const asked = new Promise((resolve) => page.once('dialog', async (d) => { resolve(d.type()); await d.dismiss(); }));
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  await expect(page.getByRole('region', { name: 'Not saved' })).toBeVisible();

  // Space freed, "Try saving again": every box is kept, and survives a reload.
  await freeStorage(page);
  await banner.getByRole('button', { name: 'Try saving again' }).click();
  await expect(page.getByRole('region', { name: 'Not saved' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel(/^Subject/)).toHaveValue('Opened while full');
  await backToCase(page, ref);
  await expect(page.getByLabel('Update given to the customer')).toHaveValue('Told her a manager will call');
  await context.close();
});

test('a restore into nearly full storage says how many it wrote, and which it could not', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page, '#/data');
  const at = '2026-11-02T09:00:00Z';
  // Text that packs poorly, so 120 cases take more room than is left.
  let x = 2463534242;
  const noise = (n) => Array.from({ length: n }, () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return String.fromCharCode(97 + ((x >>> 0) % 26)); }).join('');
  const cases = Array.from({ length: 120 }, (_, i) => ({
    id: `r${i}`, reference: `ESC-2026-${String(i + 1).padStart(4, '0')}`, rev: 1, status: 'draft', created_at: at, updated_at: at,
    details: {
      customer: { name: `Customer ${i}`, contact: '', account: '', vip: false },
      channel: 'phone', product: '', subject: `Restored case ${i}`, description: noise(20_000),
      expectation: '', deadline: null, steps: [], contact_count: 1, owner: '', impact: '', evidence: '',
    },
    timeline: [{ at, event: { type: 'opened', reference: `ESC-2026-${String(i + 1).padStart(4, '0')}` } }],
    triage: null, decisions: [], ticket_id: null,
  }));
  const file = JSON.stringify({ format: 'escalation-desk/cases', v: 7, exported_at: at, cases });
  // Leave room for some of them only.
  await fillStorage(page);
  await page.evaluate(() => {
    const keys = Object.keys(localStorage).filter((k) => k.startsWith('filler:')).sort((a, b) => localStorage.getItem(b).length - localStorage.getItem(a).length);
    let freed = 0;
    for (const k of keys) {
      if (freed >= 600_000) break;
      freed += localStorage.getItem(k).length;
      localStorage.removeItem(k);
    }
  });
  await page.getByLabel('Restore or import a file…').setInputFiles({ name: 'many.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  const said = page.getByRole('alert').filter({ hasText: 'cases from many.json restored' });
  await expect(said).toBeVisible();
  const text = await said.innerText();
  const [, written, total, not] = text.match(/(\d+) of (\d+) cases from many\.json restored; (\d+) not: the browser's storage for this site is full/);
  expect(Number(total)).toBe(120);
  expect(Number(written)).toBeGreaterThan(0);
  expect(Number(not)).toBeGreaterThan(0);
  expect(Number(written) + Number(not)).toBe(120);
  expect(text).toContain('Not written: ESC-2026-');
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => /^escdesk:case:r\d+$/.test(k)).length);
  expect(stored).toBe(Number(written));
  await freeStorage(page);
});

test('two tabs writing one field at the same instant: the one that lost is always asked', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  const ref = await openCase(page, { subject: 'Typed in two tabs' });
  await saved(page);
  const caseUrl = page.url();
  const tabB = await page.context().newPage();
  // Every value the app puts into a field, recorded: on a loaded machine one tab's save can
  // reach the other before it types (then the other saw it, and its edit is a later one).
  const watch = () => {
    window.__shown = [];
    const desc = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
    Object.defineProperty(HTMLInputElement.prototype, 'value', {
      get() { return desc.get.call(this); },
      set(v) { window.__shown.push(String(v)); desc.set.call(this, v); },
    });
  };
  await tabB.addInitScript(watch);
  await page.evaluate(watch);
  await tabB.goto(caseUrl);
  await expect(tabB.getByRole('heading', { level: 1, name: new RegExp(ref) })).toBeVisible();
  const shown = (tab, text) => tab.evaluate((t) => window.__shown.includes(t), text);
  for (let i = 0; i < 20; i++) {
    const [a, b] = [`A${i} wrote this`, `B${i} wrote that`];
    for (const tab of [page, tabB]) await tab.evaluate(() => { window.__shown = []; });
    // Both press Enter (a save at once) within 0-100 ms of each other.
    await Promise.all([
      page.getByLabel('Owner').fill(a).then(() => page.getByLabel('Owner').press('Enter')),
      tabB.getByLabel('Owner').fill(b).then(() => new Promise((r) => setTimeout(r, (i * 37) % 100))).then(() => tabB.getByLabel('Owner').press('Enter')),
    ]);
    // A tab asks, unless nothing was lost: one tab had the other's value on screen before it
    // typed over it and its own value is the one both now show (an ordinary later edit), or
    // the one value both show holds both texts.
    const dialogA = page.getByRole('dialog', { name: 'Edited in two places' });
    const dialogB = tabB.getByRole('dialog', { name: 'Edited in two places' });
    await expect(async () => {
      const asked = (await dialogA.isVisible()) || (await dialogB.isVisible());
      const [onA, onB] = [await page.getByLabel('Owner').inputValue(), await tabB.getByLabel('Owner').inputValue()];
      // Or both texts are in the one value both show (the other tab's value arrived between
      // the typing tool's select-all and its typing, so the typing went after it): nothing lost.
      const both = onA === onB && onA.includes(a) && onA.includes(b);
      const later = both || (onA === onB && ((onA === b && (await shown(tabB, a))) || (onA === a && (await shown(page, b)))));
      const seenA = await page.evaluate(() => window.__shown.join(' | '));
      const seenB = await tabB.evaluate(() => window.__shown.join(' | '));
      expect(asked || later, `try ${i}: no tab asked (A shows ${onA}, B shows ${onB}; A was shown: ${seenA}; B was shown: ${seenB})`).toBe(true);
    }).toPass({ timeout: 10_000 });
    for (const [tab, dialog] of [[page, dialogA], [tabB, dialogB]]) {
      if (await dialog.isVisible()) {
        await dialog.getByRole('button', { name: 'Keep my version' }).click();
        await expect(dialog).toBeHidden();
      }
    }
    await saved(page);
    await saved(tabB);
    await expect(async () => {
      expect(await page.getByLabel('Owner').inputValue()).toBe(await tabB.getByLabel('Owner').inputValue());
    }).toPass();
  }
});

test('"Merge with these choices" against a case changed since re-asks with its new version', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  await openApp(a);
  const ref = await openCase(a, { subject: 'Asked twice' });
  await saved(a);
  await a.getByRole('link', { name: 'Data' }).click();
  const exported = a.waitForEvent('download');
  await a.getByRole('button', { name: 'Download all cases' }).click();
  const file = JSON.parse(require('fs').readFileSync(await (await exported).path(), 'utf8'));
  // The file's version changed the subject as well.
  const theirs = file.cases[0];
  theirs.details.subject = 'Renamed in the file';
  theirs.rev += 1;
  theirs.timeline.push({ at: new Date().toISOString(), event: { type: 'edited', fields: ['subject'] } });
  theirs.updated_at = new Date().toISOString();
  await backToCase(a, ref);
  await a.getByLabel(/^Subject/).fill('Renamed here');
  await a.getByLabel(/^Subject/).press('Enter');
  await saved(a);
  await a.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
  await a.getByLabel('Import a file…').setInputFiles({ name: 'theirs.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  const decision = a.locator('fieldset.decision');
  await expect(decision).toContainText('Keep this browser\'s: Renamed here');

  // Another tab renames it again before the choice is sent.
  const tabB = await a.context().newPage();
  await tabB.goto(a.url().replace(/#.*/, `#/`));
  await tabB.getByRole('link', { name: new RegExp(ref) }).click();
  await tabB.getByLabel(/^Subject/).fill('Renamed in tab B');
  await tabB.getByLabel(/^Subject/).press('Enter');
  await saved(tabB);

  await decision.getByLabel(/^Take the file's/).check();
  await decision.getByRole('button', { name: 'Merge with these choices' }).click();
  await expect(decision.getByRole('alert')).toContainText(`${ref} changed in this browser since this question was shown`);
  await expect(decision).toContainText("Keep this browser's: Renamed in tab B");
  await decision.getByLabel(/^Take the file's/).check();
  await decision.getByRole('button', { name: 'Merge with these choices' }).click();
  await expect(a.locator('fieldset.decision')).toHaveCount(0);
  await backToCase(a, ref);
  await expect(a.getByLabel(/^Subject/)).toHaveValue('Renamed in the file');
});

test('a second file about a case with an open question asks beside it, each file named', async ({ page }) => {
  await openApp(page);
  const ref = await openCase(page, { subject: 'Handed to two' });
  await saved(page);
  await page.getByRole('link', { name: 'Data' }).click();
  const exported = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download all cases' }).click();
  const file = JSON.parse(require('fs').readFileSync(await (await exported).path(), 'utf8'));
  /** The file as another agent sends it back, with the subject they gave it. */
  const sentBack = (subject, minutes) => {
    const copy = JSON.parse(JSON.stringify(file));
    const c = copy.cases[0];
    c.details.subject = subject;
    c.rev += 1;
    c.updated_at = new Date(Date.now() + minutes * 60_000).toISOString();
    c.timeline.push({ at: c.updated_at, event: { type: 'edited', fields: ['subject'] } });
    return Buffer.from(JSON.stringify(copy));
  };
  const fromB = sentBack("B's subject", 1);
  const fromD = sentBack("D's subject", 2);
  await backToCase(page, ref);
  await page.getByLabel(/^Subject/).fill("A's subject");
  await page.getByLabel(/^Subject/).press('Enter');
  await saved(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
  await page.getByLabel('Import a file…').setInputFiles({ name: 'b.json', mimeType: 'application/json', buffer: fromB });
  const b = page.getByRole('group', { name: /from b\.json/ });
  await expect(b).toContainText("Take the file's: B's subject");
  await page.getByLabel('Import a file…').setInputFiles({ name: 'd.json', mimeType: 'application/json', buffer: fromD });
  const d = page.getByRole('group', { name: /from d\.json/ });
  await expect(d).toContainText("Take the file's: D's subject");
  await expect(b).toContainText("Take the file's: B's subject");
  await expect(b).toContainText('2 files about this case are waiting');
  // Both survive a reload.
  await page.reload();
  await expect(page.getByRole('group', { name: /from b\.json/ })).toBeVisible();
  await expect(page.getByRole('group', { name: /from d\.json/ })).toBeVisible();

  await b.getByLabel(/^Take the file's/).check();
  await b.getByRole('button', { name: 'Merge with these choices' }).click();
  await expect(b).toHaveCount(0);
  // D's question is asked against the case as it now is.
  await d.getByLabel(/^Keep this browser's/).check();
  await d.getByRole('button', { name: 'Merge with these choices' }).click();
  await expect(d.getByRole('alert')).toContainText('changed in this browser since this question was shown');
  await expect(d).toContainText("Keep this browser's: B's subject");
  await d.getByLabel(/^Take the file's/).check();
  await d.getByRole('button', { name: 'Merge with these choices' }).click();
  await expect(page.locator('fieldset.decision')).toHaveCount(0);
  await backToCase(page, ref);
  await expect(page.getByLabel(/^Subject/)).toHaveValue("D's subject");
});

test('a masked contact the receiver cleared never empties the real one; a new one typed is asked with both', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  await openApp(a);
  const ref = await openCase(a, { subject: 'Masked and back', customer: 'Nina Ortiz', contact: 'nina@example.com' });
  await saved(a);
  await a.getByRole('link', { name: 'Prepare the handoff' }).click();
  await a.getByLabel("Mask the customer's contact details").check();
  await a.getByRole('radio', { name: /JSON/ }).check();
  const sendAnyway = a.getByLabel('Send it anyway');
  if (await sendAnyway.count()) await sendAnyway.check();
  const handoff = await download(a, /^Download/);

  const b = await (await browser.newContext()).newPage();
  await openApp(b, '#/data');
  await b.getByLabel('Restore or import a file…').setInputFiles(handoff);
  await b.getByRole('link', { name: 'Cases' }).click();
  await b.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(b.getByLabel('Email or phone')).toHaveValue('n***@example.com');
  // The receiver empties the masked field and changes the name.
  await b.getByLabel('Email or phone').fill('');
  await b.getByLabel('Name', { exact: true }).fill('Nina Ortiz-Baker');
  await saved(b);
  await b.getByRole('link', { name: 'Data' }).click();
  const cleared = await downloadAll(b);
  await a.getByRole('link', { name: 'Data' }).click();
  await a.getByLabel('Restore or import a file…').setInputFiles(cleared);
  await expect(a.getByRole('status').filter({ hasText: '1 updated' })).toBeVisible();
  await a.getByRole('link', { name: 'Cases' }).click();
  await a.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(a.getByLabel('Name', { exact: true })).toHaveValue('Nina Ortiz-Baker');
  await expect(a.getByLabel('Email or phone')).toHaveValue('nina@example.com');

  // Now the receiver types a new contact: A is asked, with both.
  await b.getByRole('link', { name: 'Cases' }).click();
  await b.getByRole('link', { name: new RegExp(ref) }).click();
  await b.getByLabel('Email or phone').fill('nina@new.example');
  await saved(b);
  await b.getByRole('link', { name: 'Data' }).click();
  const typed = await downloadAll(b);
  await a.getByRole('link', { name: 'Data' }).click();
  await a.getByLabel('Restore or import a file…').setInputFiles(typed);
  const question = a.locator('fieldset.decision');
  await expect(question).toContainText("Keep this browser's: Nina Ortiz-Baker nina@example.com");
  await expect(question).toContainText("Take the file's: Nina Ortiz-Baker nina@new.example");
});

// Issue 31.1: an 11 MB handoff whose evidence holds a log. The existing case is never replaced
// by a version that couldn't be read back: the file is refused by that case and field, in
// words, and the case reads back after a reload as it was.
test('a handoff carrying a value past the limit is refused by case and field; the case stays readable', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  const ref = await openCase(page, { subject: 'Big log handoff', description: 'The short description' });
  await page.getByLabel('Evidence').fill('log.txt on the shared drive');
  await saved(page);
  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  await page.getByRole('radio', { name: /JSON/ }).check();
  const sendAnyway = page.getByLabel('Send it anyway');
  if (await sendAnyway.count()) await sendAnyway.check();
  const file = JSON.parse(require('fs').readFileSync(await download(page, /^Download/), 'utf8'));
  const log = 'x'.repeat(11_000_000);
  const swell = (v) => {
    if (Array.isArray(v)) v.forEach(swell);
    else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        if (k === 'evidence' && typeof v[k] === 'string') v[k] = log;
        else if (k === 'subject' && typeof v[k] === 'string') v[k] = 'Changed by the next tier';
        else swell(v[k]);
      }
    }
  };
  swell(file);
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByLabel('Restore or import a file…').setInputFiles({ name: 'big-handoff.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByText(/Evidence holds 11,000,000 characters/).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/1 updated/)).toHaveCount(0);
  await page.reload();
  await page.getByRole('link', { name: 'Cases' }).click();
  await page.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(page.getByLabel(/^Subject/)).toHaveValue('Big log handoff');
  await expect(page.getByLabel('Evidence')).toHaveValue('log.txt on the shared drive');
});
