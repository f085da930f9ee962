// Issue 34.1: no layout moves under a pointer. Leaving a field of the case screen (the click
// on a button beside it does that first) never shifts the controls beside it, at 1280 and
// 320 px; and the first click on a button right after typing does what it says.
const { test, expect } = require('@playwright/test');
const { openApp, openCase, escalateByHand } = require('./helpers');

const FIELDS = [
  ['Name', { exact: true }],
  ['Email or phone'],
  ['Account or plan'],
  [/^Subject/],
  ['Description'],
  ['Expectation'],
  ['Product or area'],
  ['Owner'],
  ['Impact'],
  ['Evidence'],
];

/** Where every control of the case screen is, in the viewport (what the pointer aims at). */
function places(page, selector = 'main button, main a.button, main summary', { scrolled = false } = {}) {
  return page.evaluate(([selector, scrolled]) => {
    const out = {};
    for (const el of document.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      const name = `${el.textContent.trim().slice(0, 40)}#${Object.keys(out).length}`;
      const top = r.top + (scrolled ? window.scrollY : 0);
      out[name] = `${Math.round(r.left)},${Math.round(top)} ${Math.round(r.width)}x${Math.round(r.height)}`;
    }
    return out;
  }, [selector, scrolled]);
}

for (const width of [1280, 320]) {
  test(`leaving a case field moves no control, and the first click after typing works (${width} px)`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width, height: 800 });
    await openApp(page);
    await openCase(page, { subject: 'Pointer steady' });
    await escalateByHand(page);
    // A field the handoff needs, saved while the pointer heads for a button below: the
    // handoff's checklist turns that row to "done" and nothing below it moves (down to the
    // timeline, which grows by the edit's entry; places on the page, as typing scrolls).
    const below = '.case-side section:not(:first-child):not(.panel-quiet) :is(button, a.button, summary)';
    const unsaved = await places(page, below, { scrolled: true });
    await page.getByLabel('Description').fill('Charged twice on the 3rd');
    await expect(page.getByRole('region', { name: 'Escalation' })).toContainText('Description of the issue: done');
    expect(await places(page, below, { scrolled: true }), `saving Description at ${width} px`).toEqual(unsaved);
    for (const [label, options] of FIELDS) {
      const field = page.getByLabel(label, options);
      await field.click();
      await field.press('End');
      await field.pressSequentially(' typed', { delay: 5 });
      const before = await places(page);
      // Leaving the field, as a press on a button does before its click.
      await page.evaluate(() => document.activeElement.blur());
      const after = await places(page);
      expect(after, `leaving ${label} at ${width} px`).toEqual(before);
      await expect(page.getByText('All changes saved')).toBeVisible();
    }
    // Typing, then at once the button: one click acknowledges.
    const description = page.getByLabel('Description');
    await description.click();
    await description.pressSequentially(' and then at once', { delay: 5 });
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(page.getByRole('heading', { name: 'Status: Acknowledged' })).toBeVisible();
    await expect(description).toHaveValue(/and then at once$/);
  });
}
