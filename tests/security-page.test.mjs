// Security, round 2 (issue 23), item 11, in headless Chromium: Clear (and leaving the page)
// empties every field that holds a secret; inspecting a 1 MB chain never blocks the page's thread.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { servedPage } from './js/page.mjs';
import { generateCredentials } from '../js/node.js';

const { openPage: open } = servedPage();

async function openPage() {
  const opened = await open();
  await opened.page.locator('body[data-wasm-ready="true"]').waitFor({ state: 'attached' });
  return opened;
}

const SECRET_FIELDS = ['Keystore password', 'Key password', 'CA private key', 'CA key password'];

test('item 11: Clear empties every field that holds a secret, after a CA made here signed a client', async () => {
  const { page, context, errors } = await openPage();
  await page.getByRole('radio', { name: 'Device CA' }).check();
  await page.getByLabel('Key type').selectOption({ label: 'EC P-256' });
  await page.getByRole('button', { name: 'Use random passwords' }).click();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText('Done: 4 files.', { exact: true }).waitFor({ timeout: 120_000 });
  await page.getByRole('radio', { name: 'Client' }).check();
  await page.getByRole('button', { name: 'Use the device CA generated on this page' }).click();
  await page.getByRole('button', { name: 'Use random passwords' }).click();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText('Done: 7 files.', { exact: true }).waitFor({ timeout: 120_000 });
  const value = (label) => page.getByLabel(label, { exact: true }).inputValue();
  for (const label of SECRET_FIELDS) assert.notEqual(await value(label), '', `${label} holds a secret before Clear`);
  await page.getByRole('button', { name: 'Clear' }).click();
  for (const label of SECRET_FIELDS) assert.equal(await value(label), '', `${label} is empty after Clear`);
  assert.equal(await page.locator('#random-passwords').isHidden(), true, 'the random passwords are no longer shown');
  await page.getByText('Cleared: the keys were overwritten in memory.').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('item 11: inspecting a 1 MB chain runs in a worker: no main-thread task over 100 ms, the answer still shown', async () => {
  const { page, context, errors } = await openPage();
  const one = (await generateCredentials({ role: 'client', cn: 'chain-link', keyType: 'ec-p256' })).certificatePem;
  const big = one.repeat(Math.ceil((1 << 20) / one.length) - 1);
  assert.ok(big.length > 1_000_000 && big.length < 1 << 20, `${big.length} bytes`);
  // Pasted (the value set at once: typing a megabyte is the test's work, not the page's), then
  // given a moment to lay the text out; the window opens with the click.
  await page.getByLabel('Certificate to inspect').evaluate((el, text) => { el.value = text; }, big);
  await page.waitForTimeout(1000);
  const t0 = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Inspect' }).click();
  await page.getByText(/chain-link/).first().waitFor({ timeout: 60_000 });
  const long = await page.evaluate((start) => window.__longTasks.filter((t) => t.start >= start && t.duration > 100), t0);
  assert.deepEqual(long, [], 'main-thread tasks over 100 ms while a 1 MB chain was inspected');
  assert.deepEqual(errors, []);
  await context.close();
});
