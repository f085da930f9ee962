// The agent's core flow, played as a person would, counting what they do: clicks, typed
// characters and key presses. Used by specs/flow.spec.js (which holds the counts to their
// goals) and by .ci/bench (which prints them). The situation: an angry VIP customer on her
// third call wants a manager and a refund by Friday; the agent opens the case, triages it,
// accepts, prepares the handoff and copies it. A second flow keeps a case at tier 1.

const CUSTOMER = {
  name: 'Dana Whitfield',
  contact: 'dana@example.com',
  subject: 'Refund refused, wants a manager',
  description: 'Charged twice for the annual plan; third call; asks for a manager.',
  expectation: 'A manager calls her and the double charge is refunded by Friday',
  step: 'Checked billing: two charges',
  outcome: 'Refund needs approval',
};

/** Counts actions and offers the few gestures the flows use. */
function counter(page) {
  const n = { clicks: 0, typed: 0, keys: 0, tabs: 0 };
  return {
    n,
    async click(locator) {
      n.clicks += 1;
      await locator.click();
    },
    /** Mouse: a click into the field (unless the screen put the cursor there), then the text. */
    async fill(locator, text) {
      n.typed += text.length;
      if (!(await locator.evaluate((el) => el === document.activeElement))) {
        n.clicks += 1;
        await locator.click();
      }
      await locator.fill(text);
    },
    async type(text) {
      n.typed += text.length;
      await page.keyboard.type(text);
    },
    async press(key) {
      n.keys += 1;
      await page.keyboard.press(key);
    },
    /** Tabs until the focused control's name matches; each Tab counts as a key. */
    async tabTo(name, max = 150) {
      for (let i = 0; i < max; i++) {
        const text = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return '';
          const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
          return (el.getAttribute('aria-label') || label || el.innerText || el.value || '').trim();
        });
        if (typeof name === 'string' ? text === name : name.test(text)) return i;
        n.keys += 1;
        n.tabs += 1;
        await page.keyboard.press('Tab');
      }
      throw new Error(`never reached ${name} with the keyboard`);
    },
  };
}

/** Waits until the screen has put the cursor in `locator` (a new case's first field). */
async function expectFocus(locator) {
  await locator.page().waitForFunction((el) => el === document.activeElement, await locator.elementHandle(), { timeout: 2000 });
}

/** Answers the tree's open questions "No" until the recommendation shows: all at once when
 *  the screen offers to rule them out together (the ticks settled what comes after). */
async function answerUntilResult(page, act) {
  for (let i = 0; i < 6; i++) {
    if (await page.getByRole('heading', { name: /^Recommended/ }).isVisible()) return;
    const all = page.locator('fieldset.question').getByRole('button', { name: /^No to all/ });
    const no = page.locator('fieldset.question').getByRole('button', { name: 'No', exact: true });
    if (await all.isVisible()) {
      await act(all);
    } else if (await no.isVisible()) {
      await act(no);
    } else {
      await page.waitForTimeout(100);
    }
  }
}

/** From the filled new-case form: open it, triage with one tick, answer "No" to what is left,
 *  accept. */
async function openAndTriageByMouse(page, a, trigger) {
  await a.click(page.getByRole('button', { name: 'Open and triage' }));
  await a.click(page.getByRole('checkbox', { name: trigger }));
  await answerUntilResult(page, (b) => a.click(b));
  await a.click(page.getByRole('button', { name: /^Accept/ }));
}

/** The escalation with the mouse. Returns the counts. */
async function escalationByMouse(page, base) {
  const a = counter(page);
  await page.goto(base);
  await page.getByRole('main').waitFor();
  await a.click(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }));
  await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
  await expectFocus(page.getByLabel('Name', { exact: true }));
  await a.fill(page.getByLabel('Name', { exact: true }), CUSTOMER.name);
  await a.fill(page.getByLabel('Email or phone'), CUSTOMER.contact);
  await a.click(page.getByLabel('VIP or high-value account'));
  await a.fill(page.getByLabel(/^Subject/), CUSTOMER.subject);
  await a.fill(page.getByLabel('Contacts so far'), '3');
  await a.fill(page.getByLabel('Description'), CUSTOMER.description);
  await a.fill(page.getByLabel('Expectation'), CUSTOMER.expectation);
  await a.fill(page.getByLabel('Step taken'), CUSTOMER.step);
  // The step typed is kept as it is (the form says so): no "Add step" for the only one.
  await a.fill(page.getByLabel('Outcome'), CUSTOMER.outcome);
  await openAndTriageByMouse(page, a, 'Insists on a supervisor or manager');
  await a.click(page.getByRole('link', { name: 'Prepare the handoff' }));
  const anyway = page.getByLabel('Send it anyway');
  if (await anyway.isVisible()) await a.click(anyway);
  await a.click(page.getByRole('button', { name: 'Copy to clipboard' }));
  await page.getByRole('status').filter({ hasText: /Copied|copy/ }).first().waitFor();
  return a.n;
}

/** The same escalation with the keyboard alone (shortcuts allowed). Returns the counts and
 *  the Tabs from landing on the new case to its next action. */
async function escalationByKeyboard(page, base) {
  const a = counter(page);
  await page.goto(base);
  await page.getByRole('main').waitFor();
  await a.press('c');
  await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
  await a.tabTo('Name');
  await a.type(CUSTOMER.name);
  await a.tabTo('Email or phone');
  await a.type(CUSTOMER.contact);
  await a.tabTo('VIP or high-value account');
  await a.press('Space');
  await a.tabTo(/^Subject/);
  await a.type(CUSTOMER.subject);
  await a.tabTo('Contacts so far');
  await a.press('Control+a');
  await a.type('3');
  await a.tabTo('Description');
  await a.type(CUSTOMER.description);
  await a.tabTo('Expectation');
  await a.type(CUSTOMER.expectation);
  await a.tabTo('Step taken');
  await a.type(CUSTOMER.step);
  await a.tabTo('Outcome');
  await a.type(CUSTOMER.outcome);
  await a.tabTo('Open and triage');
  await a.press('Enter');
  await page.getByRole('region', { name: 'Trigger checklist' }).waitFor();
  await a.tabTo('Insists on a supervisor or manager');
  await a.press('Space');
  for (let i = 0; i < 6; i++) {
    if (await page.getByRole('heading', { name: /^Recommended/ }).isVisible()) break;
    const all = page.locator('fieldset.question').getByRole('button', { name: /^No to all/ });
    await a.tabTo((await all.isVisible()) ? /^No to all/ : 'No');
    await a.press('Enter');
    await page.waitForTimeout(50);
  }
  await a.tabTo(/^Accept/);
  await a.press('Enter');
  await page.getByRole('heading', { level: 1, name: /^ESC-\d{4}-\d{4}/ }).waitFor();
  // Landing on the case, its next step (the handoff) is a few Tabs away at most.
  await page.locator('.next-action').filter({ hasText: 'Prepare the handoff' }).waitFor();
  const tabsBefore = a.n.tabs;
  await a.tabTo('Prepare the handoff');
  const tabsToNext = a.n.tabs - tabsBefore;
  await a.press('Enter');
  await page.getByRole('heading', { level: 1, name: /^Handoff/ }).waitFor();
  if (await page.getByLabel('Send it anyway').isVisible()) {
    await a.tabTo('Send it anyway');
    await a.press('Space');
  }
  await a.tabTo('Copy to clipboard');
  await a.press('Enter');
  await page.getByRole('status').filter({ hasText: /Copied|copy/ }).first().waitFor();
  return { ...a.n, tabsToNext };
}

/** Kept at tier 1 (a frustrated customer who can be helped now), with the mouse. */
async function tierOneByMouse(page, base) {
  const a = counter(page);
  await page.goto(base);
  await page.getByRole('main').waitFor();
  await a.click(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }));
  await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
  await expectFocus(page.getByLabel('Name', { exact: true }));
  await a.fill(page.getByLabel('Name', { exact: true }), 'Omar Haddad');
  await a.fill(page.getByLabel(/^Subject/), 'Password reset email never arrives');
  await a.click(page.getByRole('button', { name: 'Open and triage' }));
  await a.click(page.getByRole('checkbox', { name: 'Frustration escalating' }));
  await answerUntilResult(page, (b) => a.click(b));
  // The tick answered "Does it need a supervisor?" Yes; she can be helped now, so: No.
  await a.click(page.getByRole('button', { name: /^Change answer \d+: Does it need a supervisor/ }));
  await a.click(page.locator('fieldset.question').getByRole('button', { name: 'No', exact: true }));
  await a.click(page.getByRole('button', { name: 'Accept: keep at tier 1' }));
  // Resolving asks what resolved it (issue 15): the close-out screen, the cursor in its box.
  await a.click(page.getByRole('link', { name: 'Mark resolved' }));
  await expectFocus(page.getByLabel('What resolved it'));
  await a.fill(page.getByLabel('What resolved it'), 'Sent the reset link by SMS instead');
  await a.click(page.getByRole('button', { name: 'Mark resolved' }));
  await page.getByRole('heading', { name: /Status: Resolved/ }).waitFor();
  return a.n;
}

module.exports = { escalationByMouse, escalationByKeyboard, tierOneByMouse };
