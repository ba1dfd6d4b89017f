// The page's "Check device files" (in Inspect, issue 21) in headless Chromium, used by its labels:
// a device's files typed in, then chosen by name, checked by checkDeviceFiles; a mismatched key and
// a wrong host said as connect says them; leaving the page (as Clear) empties the key fields.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { servedPage } from './js/page.mjs';
import { cliOk, tempDir } from './js/tools.mjs';

const { openPage } = servedPage();
const dir = tempDir('check-files-page');
const f = (...p) => path.join(dir, ...p);
cliOk(['server', '--out', f('srv'), '--cn', 'mqtt.example.test', '--san', '127.0.0.1', '--key-type', 'ec-p256']);
cliOk(['client', '--out', f('dev'), '--cn', 'page-device', '--key-type', 'ec-p256']);
cliOk(['client', '--out', f('other'), '--cn', 'other-device', '--key-type', 'ec-p256']);
const read = (...p) => fs.readFileSync(f(...p), 'utf8');

const lines = (page) => page.getByRole('list', { name: 'Checks' }).getByRole('listitem');

test('Check device files: in order, a key of another device, a host the server certificate does not name; leaving the page empties the key fields', async () => {
  const { page, context, errors } = await openPage();
  await page.getByLabel('Device certificate to check').fill(read('dev', 'mqttclient.nopass.pem'));
  await page.getByLabel('Trusted CA file').fill(read('srv', 'mqttserver.pub.pem'));
  await page.getByLabel('Server host').fill('mqtts://127.0.0.1:8883');
  await page.getByRole('button', { name: 'Check device files' }).click();
  await page.getByText('The files are in order.').waitFor({ timeout: 10_000 });
  const good = await lines(page).allTextContents();
  assert.match(good.join('\n'), /✓ files: the key matches the certificate \(EC P-256\)/);
  assert.match(good.join('\n'), /✓ tls: the server's certificate \(mqtt.example.test\) names 127.0.0.1/);
  assert.equal(await page.locator('#check-stages li[data-ok="false"]').count(), 0);

  await page.getByLabel('Device private key').fill(read('other', 'mqttclient.nopass.pem'));
  await page.getByLabel('Server host').fill('broker.elsewhere.example');
  await page.getByRole('button', { name: 'Check device files' }).click();
  await page.getByText('2 problem(s) found.').waitFor({ timeout: 10_000 });
  const bad = await page.locator('#check-stages li[data-ok="false"]').allTextContents();
  assert.match(bad[0], /✗ files: the private key does not belong to this certificate.*What to do: take the key and the certificate from the same device folder/s);
  assert.match(bad[1], /✗ tls: the server's certificate does not name broker.elsewhere.example: it has DNS:mqtt.example.test, IP:127.0.0.1/);

  // Files chosen together go to their fields by their names.
  await page.getByLabel('Device private key').fill('');
  await page.locator('#checkFiles').setInputFiles([f('dev', 'mqttclient.nopass.pem'), f('srv', 'mqttserver.pub.pem')]);
  await page.waitForFunction(() => document.getElementById('checkCa').value.includes('BEGIN CERTIFICATE'));
  await page.getByLabel('Server host').fill('mqtt.example.test');
  await page.getByRole('button', { name: 'Check device files' }).click();
  await page.getByText('The files are in order.').waitFor({ timeout: 10_000 });

  await page.getByLabel('Device private key').fill(read('dev', 'mqttclient.nopass.pem'));
  await page.getByLabel("Device key's password").fill('a secret');
  // Leaving the page runs the same wipe as Clear (www/state.js wipeAll).
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));
  assert.equal(await page.getByLabel('Device private key').inputValue(), '');
  assert.equal(await page.getByLabel('Device certificate to check').inputValue(), '', 'it held a .nopass.pem');
  assert.equal(await page.getByLabel("Device key's password").inputValue(), '');
  assert.deepEqual(errors, []);
  await context.close();
});
