// Practice: a trainee opens "Practice" from the desk, works a scenario with the real checklist
// and tree in a sandbox, is scored against the playbook, keeps their results and hands them to
// their lead as a file, which the console reads.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, acceptTriage, storedKeys, noViolations, noSideScroll } = require('./helpers');

test.use({ timezoneId: 'UTC' });

test('a scenario is practised in a sandbox, scored, kept, and read back by the lead', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Practice' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Practice' })).toBeVisible();
  expect(page.url()).toContain('console.html#/practice');
  const list = page.getByRole('list', { name: 'Scenarios', exact: true });
  await expect(list.getByRole('listitem')).toHaveCount(13);
  await expect(list.getByRole('listitem').first()).toContainText('Not tried yet');
  await list.getByRole('link', { name: 'Disputes the return policy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Practice: Disputes the return policy' })).toBeVisible();

  // What the customer says comes a line at a time.
  const says = page.getByRole('region', { name: 'What the customer says' });
  await expect(says.getByRole('listitem')).toHaveCount(1);
  await says.getByRole('button', { name: 'Ask the customer' }).click();
  await expect(says.getByRole('listitem')).toHaveCount(2);

  // Submitting with no level says what to do.
  await page.getByRole('button', { name: 'Submit my decision' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Choose a level first' })).toBeVisible();

  // A deliberately wrong run: the trainee takes it for a defect.
  await page.getByRole('checkbox', { name: 'Suspected defect' }).check();
  const question = page.locator('fieldset.question');
  await question.getByRole('button', { name: 'No', exact: true }).click();
  await expect(page.getByText('Your answers lead to Level 3: engineering or product.')).toBeVisible();
  // A reload keeps the run where it was.
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Suspected defect' })).toBeChecked();
  await expect(page.getByText('Your answers lead to Level 3: engineering or product.')).toBeVisible();

  await page.getByRole('button', { name: 'Submit my decision' }).click();
  const card = page.getByRole('region', { name: /^Score: \d+ of 100$/ });
  await expect(card).toContainText('Over-escalated by one level: the playbook says Level 2: specialised team, you chose Level 3: engineering or product.');
  await expect(card).toContainText(/Time taken\s*\d+ min \d+ s/);
  await expect(card).toContainText('Triggers you missed');
  await expect(card.getByRole('list', { name: 'Triggers you missed' })).toHaveText('Policy misunderstanding or dispute');
  await expect(card.getByRole('list', { name: 'Ticked without reason' })).toHaveText('Suspected defect');
  await expect(card.getByRole('list', { name: "The playbook's path" })).toContainText('Policy misunderstanding or dispute');
  await expect(card).toContainText('A dispute about what the policy says');
  await page.screenshot({ path: path.join(__dirname, '..', '.artifacts', 'practice-score-1280.png'), fullPage: true });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await noViolations(page, `the score card, ${scheme}, 1280 px`);
  }
  await page.setViewportSize({ width: 320, height: 800 });
  await noSideScroll(page, 'the score card at 320 px');
  await noViolations(page, 'the score card, dark, 320 px');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The sandbox never reaches the real cases.
  expect((await storedKeys(page)).filter((k) => k.startsWith('escdesk:case:'))).toEqual([]);

  // The result is kept; the trainee names themself and downloads it; the lead reads it.
  await card.getByRole('link', { name: 'Back to the scenarios' }).click();
  await expect(list.getByRole('listitem').filter({ hasText: 'Disputes the return policy' })).toContainText(/Best: \d+ of 100/);
  const mine = page.getByRole('region', { name: 'Your results' });
  await expect(mine.getByRole('table')).toContainText('Disputes the return policy');
  await expect(mine.getByRole('table')).toContainText('1 level too high: Level 3: engineering or product for Level 2: specialised team');
  await mine.getByLabel('Your name (on the results file)').fill('Ana Lima');
  const dl = page.waitForEvent('download');
  await mine.getByRole('button', { name: 'Download my results' }).click();
  const file = await (await dl).path();
  const text = fs.readFileSync(file, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'escalation-desk/practice', trainee: 'Ana Lima' });
  await mine.getByLabel("Read a trainee's file…").setInputFiles(file);
  const team = page.getByRole('region', { name: 'Team results' });
  await expect(team).toContainText(/Ana Lima: 1 run, average \d+ of 100/);
  // A file that isn't one is refused in words.
  await mine.getByLabel("Read a trainee's file…").setInputFiles({ name: 'cases.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"escalation-desk/export"}') });
  await expect(mine.getByRole('alert')).toContainText("cases.json was not read. It isn't a practice file");
  await noViolations(page, 'the practice screen');

  // "Surprise me" opens a scenario not tried yet.
  await page.getByRole('button', { name: 'Surprise me' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Practice: / })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Practice: Disputes the return policy' })).toBeHidden();
});

test('a lead writes a scenario, sees where the playbook leads it, and hands it out as a file', async ({ page }) => {
  await openApp(page, '#/playbook');
  await page.goto('./console.html#/practice');
  const team = page.getByRole('region', { name: "The team's scenarios" });
  await team.getByText('Write a scenario').click();
  const form = team.getByRole('form', { name: 'Write a scenario' });
  await form.getByLabel('Title').fill('Threatens to sue over a late refund');
  await form.getByLabel('Subject').fill('Refund three weeks late');
  await form.getByLabel('What the customer says').fill('My lawyer will be in touch.\nI asked for this refund three weeks ago.');
  // Typed key by key, spaces and new lines stay where they are typed.
  await form.getByLabel('Steps already taken').pressSequentially('Checked the payment log\nAsked finance ');
  await expect(form.getByLabel('Steps already taken')).toHaveValue('Checked the payment log\nAsked finance ');
  // Typed, then the page reloaded: the form is as it was.
  await page.reload();
  await team.getByText('Write a scenario').click();
  await expect(form.getByLabel('Title')).toHaveValue('Threatens to sue over a late refund');
  await expect(form.getByLabel('Steps already taken')).toHaveValue('Checked the payment log\nAsked finance');
  await form.getByRole('checkbox', { name: 'Legal threat' }).check();
  await expect(form.getByRole('status')).toHaveText(/^With the playbook in force, these facts lead to Level 4: management or incident response \(P\d\)\.$/);
  await form.getByLabel('Why the right answer is right').fill('A legal threat goes to management whatever the refund.');
  await form.getByRole('button', { name: 'Save scenario' }).click();
  await expect(team.getByRole('list', { name: "The team's scenarios" })).toContainText('Threatens to sue over a late refund');
  const list = page.getByRole('list', { name: 'Scenarios', exact: true });
  await expect(list.getByRole('listitem')).toHaveCount(14);
  await noViolations(page, 'practice with the scenario form');

  const dl = page.waitForEvent('download');
  await team.getByRole('button', { name: "Download the team's scenarios" }).click();
  const file = await (await dl).path();
  expect(JSON.parse(fs.readFileSync(file, 'utf8')).scenarios[0]).toMatchObject({ title: 'Threatens to sue over a late refund', meant: 'level4' });

  // A trainee in another browser takes the file and practises it.
  const other = await page.context().browser().newContext();
  const trainee = await other.newPage();
  await trainee.goto(page.url());
  await trainee.getByRole('region', { name: "The team's scenarios" }).getByLabel('Use a scenarios file…').setInputFiles(file);
  await expect(trainee.getByRole('status').filter({ hasText: '1 scenario from' })).toBeVisible();
  await trainee.getByRole('list', { name: 'Scenarios', exact: true }).getByRole('link', { name: 'Threatens to sue over a late refund' }).click();
  await expect(trainee.getByRole('heading', { level: 1, name: 'Practice: Threatens to sue over a late refund' })).toBeVisible();
  await expect(trainee.getByRole('region', { name: 'What the customer says' })).toContainText('My lawyer will be in touch.');
  await other.close();
});

test('a lead makes a closed case a practice scenario, with no contact details left in it', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page);
  await openCase(page, {
    subject: 'Nina Ortiz wants a manager',
    customer: 'Nina Ortiz',
    contact: 'nina@example.com',
    description: 'Nina Ortiz was billed twice; nina@example.com has the thread.',
  });
  await page.getByRole('link', { name: 'Start triage' }).click();
  await acceptTriage(page, 'Insists on a supervisor or manager');
  await expect(page.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'Mark resolved', exact: true }).first().click();
  await page.getByLabel('What resolved it').fill('Nina Ortiz got the duplicate refunded by the supervisor');
  await page.getByLabel('Root cause', { exact: true }).selectOption({ label: 'Billing or payment error' });
  await page.getByRole('button', { name: 'Close case' }).click();
  await expect(page.getByRole('heading', { name: 'Status: Closed' })).toBeVisible();

  await page.goto('./console.html#/reviews');
  await page.getByRole('list', { name: 'Cases to review' }).getByRole('link').first().click();
  await page.getByRole('button', { name: 'Make it a practice scenario' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is now a practice scenario' })).toContainText('“the customer wants a manager” is now a practice scenario');

  await page.goto('./console.html#/practice');
  const team = page.getByRole('region', { name: "The team's scenarios" });
  await expect(team.getByRole('list', { name: "The team's scenarios" })).toContainText('the customer wants a manager');
  const dl = page.waitForEvent('download');
  await team.getByRole('button', { name: "Download the team's scenarios" }).click();
  const text = fs.readFileSync(await (await dl).path(), 'utf8');
  expect(text).not.toContain('Nina');
  expect(text).not.toContain('nina@example.com');
  expect(JSON.parse(text).scenarios[0]).toMatchObject({ meant: 'level1', ticks: ['demands_supervisor'] });
});
