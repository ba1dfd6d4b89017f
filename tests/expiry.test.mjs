// The expiry report (issue 20, part 2): `tempus-certgen expiry` over files, device folders, a
// fleet and its manifest, and a CA folder, against a CRL; checkExpiry in the JS API.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, cliOk as must, ok, tempDir } from './js/tools.mjs';
import { checkExpiry, generateCredentials } from '../js/node.js';

let made;
function fleet() {
  if (made) return made;
  const dir = tempDir('expiry');
  const pw = path.join(dir, 'pw');
  fs.writeFileSync(pw, 'expiry-ca-secret\n');
  must(['ca', '--out', path.join(dir, 'ca'), '--key-password-file', pw, '--key-type', 'ec-p256', '--days', '400']);
  const ca = ['--ca-cert', path.join(dir, 'ca', 'deviceca.pub.pem'), '--ca-key', path.join(dir, 'ca', 'deviceca.key.pem'), '--ca-password-file', pw];
  fs.writeFileSync(path.join(dir, 'names.txt'), 'meter-1\nmeter-2\n');
  must(['bulk', '--out', path.join(dir, 'fleet'), '--names', path.join(dir, 'names.txt'), '--key-type', 'ec-p256', '--days', '200', ...ca]);
  must(['client', '--out', path.join(dir, 'soon'), '--cn', 'soon-1', '--key-type', 'ec-p256', '--days', '10', ...ca]);
  must(['server', '--out', path.join(dir, 'broker'), '--cn', 'broker.example', '--key-type', 'ec-p256', '--days', '90']);
  made = { dir, ca };
  return made;
}

test('expiry: soonest first, statuses, roles and names; exit 1 while any needs action, 0 when none', () => {
  const { dir } = fleet();
  const r = cli(['expiry', path.join(dir, 'fleet'), path.join(dir, 'soon'), path.join(dir, 'broker', 'mqttserver.pub.pem'), path.join(dir, 'ca')]);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^STATUS +DAYS +NOT AFTER +NAME +ROLE/);
  assert.match(lines[1], /^EXPIRING +9 +\S+ +soon-1 +client/);
  assert.match(lines[2], /^OK +8\d +\S+ +broker\.example +server/);
  assert.match(r.stdout, /OK +19\d +\S+ +meter-1 +client/);
  assert.match(r.stdout, /OK +\d+ +\S+ +Tempus Device CA +ca/);
  assert.match(r.stdout, /5 certificates: 0 expired, 1 expiring, 0 revoked, 4 ok/);
  // Within 5 days nothing needs action.
  assert.equal(cli(['expiry', path.join(dir, 'soon'), '--within', '5']).code, 0);
  // The manifest alone, as JSON, with the manifest's names and serials.
  const j = cli(['expiry', path.join(dir, 'fleet', 'manifest.csv'), '--json']);
  assert.equal(j.code, 0, j.stderr);
  const report = JSON.parse(j.stdout);
  assert.deepEqual(report.map((e) => e.name).sort(), ['meter-1', 'meter-2']);
  for (const e of report) {
    assert.deepEqual(Object.keys(e).sort(), ['cn', 'credentialsId', 'daysLeft', 'name', 'notAfter', 'path', 'role', 'serial', 'status'].sort());
    const serial = ok('openssl', ['x509', '-in', e.path, '-noout', '-serial']).trim().split('=')[1];
    assert.equal(e.serial.replaceAll(':', ''), serial);
  }
  const manifest = fs.readFileSync(path.join(dir, 'fleet', 'manifest.csv'), 'utf8');
  assert.equal(manifest.split('\r\n')[0], 'name,type,label,folder,credentials_id,sha256,not_after,serial,status,error');
  assert.ok(report.every((e) => manifest.includes(e.serial.replaceAll(':', ''))), 'the manifest has each serial');
  // Usage: unreadable paths, a bad --within.
  assert.equal(cli(['expiry', path.join(dir, 'nowhere')]).code, 2);
  assert.equal(cli(['expiry', path.join(dir, 'soon'), '--within', 'soon']).code, 2);
  assert.equal(cli(['expiry']).code, 2);
});

test('expiry --crl: a revoked device is "revoked", and the CRL\'s own next update is reported', () => {
  const { dir, ca } = fleet();
  must(['revoke', path.join(dir, 'fleet', 'meter-2'), ...ca, '--crl-days', '3']);
  const crl = path.join(dir, 'ca', 'deviceca.crl.pem');
  const r = cli(['expiry', path.join(dir, 'fleet'), '--crl', crl]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /REVOKED +\d+ +\S+ +meter-2/);
  assert.match(r.stdout, /OK +\d+ +\S+ +meter-1/);
  assert.match(r.stdout, /CRL of CN=Tempus Device CA.*next update \S+, 2 days left: EXPIRING/);
});

test('checkExpiry (JS): generateCredentials results and PEM, an expired one at a later now, chains split', async () => {
  const a = await generateCredentials({ role: 'client', cn: 'js-1', keyType: 'ec-p256', days: 5 });
  const b = await generateCredentials({ role: 'client', cn: 'js-2', keyType: 'ec-p256', days: 100 });
  const report = await checkExpiry([a, b.certificatePem, a.certificatePem + b.certificatePem]);
  assert.deepEqual(report.map((e) => [e.name, e.status]), [['js-1', 'expiring'], ['js-2', 'ok']], 'each once, soonest first');
  assert.equal(report.crl, null);
  const later = await checkExpiry([a, b], { now: Date.now() + 50 * 86_400_000, within: 7 });
  assert.deepEqual(later.map((e) => e.status), ['expired', 'ok']);
  assert.ok(later[0].daysLeft < 0);
  await assert.rejects(checkExpiry([a], { within: -1 }), { field: 'within' });
  await assert.rejects(checkExpiry([{ nothing: 1 }]), { code: 'invalid' });
});

// ---- The page: several files, or a fleet's zip, in Inspect -------------------------------
import { execFileSync } from 'node:child_process';
import { servedPage } from './js/page.mjs';

const { openPage } = servedPage();

test('the page: several certificates, or a fleet\'s zip (deflated), give the expiry table, soonest first, statuses written out', async () => {
  const { dir } = fleet();
  const { page, context, errors } = await openPage();
  await page.locator('body[data-wasm-ready="true"]').waitFor({ state: 'attached' });
  await page.locator('#inspectFile').setInputFiles([path.join(dir, 'broker', 'mqttserver.pub.pem'), path.join(dir, 'soon', 'mqttclient.pub.pem')]);
  const table = page.getByRole('table', { name: 'Expiry' });
  await table.waitFor();
  const rows = () => table.locator('tbody tr').allTextContents();
  await page.waitForFunction(() => document.querySelectorAll('#inspect-expiry-rows tr').length === 2);
  let text = await rows();
  assert.match(text[0], /^expiring9\S+soon-1client/);
  assert.match(text[1], /^ok8\d\S+broker\.exampleserver/);
  assert.equal(await table.locator('tbody tr').first().locator('td').first().getAttribute('class'), 'status-expiring');
  // A fleet's zip, deflated (as Python writes it), named by its manifest.
  const zipPath = path.join(dir, 'fleet.zip');
  execFileSync('python3', ['-c', `import zipfile,os,sys
root=sys.argv[1]
with zipfile.ZipFile(sys.argv[2],'w',zipfile.ZIP_DEFLATED) as z:
  for d,_,fs in os.walk(root):
    for f in fs: z.write(os.path.join(d,f), os.path.relpath(os.path.join(d,f), root))`, path.join(dir, 'fleet'), zipPath]);
  await page.locator('#inspectFile').setInputFiles([zipPath]);
  await page.getByText('2 certificates: 0 expired, 0 expiring within 30 days, 2 ok.').waitFor({ timeout: 30_000 });
  text = await rows();
  assert.deepEqual(text.map((t) => t.match(/meter-\d/)?.[0]).sort(), ['meter-1', 'meter-2']);
  assert.deepEqual(errors, []);
  await context.close();
});
