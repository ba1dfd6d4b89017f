// Files for the device (issue 21, part 2): the C header compiled with gcc into a host program
// that reads every PEM and DER in it with mbedTLS (Debian's libmbedtls-dev) and checks the key
// against the certificate, for an RSA and an EC device; the shell and Python scripts logging in
// to a mosquitto broker with require_certificate and publishing.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, cliOk, tempDir, ROOT } from './js/tools.mjs';
import { freePort, start, stop, MOSQUITTO, mosquittoConf } from './js/tls.mjs';

const CHECK = `#include <stdio.h>
#include <string.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/pk.h>
#include "tempus_credentials.h"
#define MUST(what, call) do { int r = (call); if (r != 0) { printf("%s failed: -0x%04x\\n", what, -r); return 1; } } while (0)
int main(void) {
  mbedtls_x509_crt crt, der, ca; mbedtls_pk_context pk, pk_der;
  mbedtls_x509_crt_init(&crt); mbedtls_x509_crt_init(&der); mbedtls_x509_crt_init(&ca);
  mbedtls_pk_init(&pk); mbedtls_pk_init(&pk_der);
  MUST("certificate (PEM)", mbedtls_x509_crt_parse(&crt, (const unsigned char *)TEMPUS_CERTIFICATE, strlen(TEMPUS_CERTIFICATE) + 1));
  MUST("certificate (DER)", mbedtls_x509_crt_parse_der(&der, TEMPUS_CERTIFICATE_DER, TEMPUS_CERTIFICATE_DER_LEN));
  MUST("CA (PEM)", mbedtls_x509_crt_parse(&ca, (const unsigned char *)TEMPUS_CA, strlen(TEMPUS_CA) + 1));
  MUST("CA (DER)", mbedtls_x509_crt_parse_der(&ca, TEMPUS_CA_DER, TEMPUS_CA_DER_LEN));
  MUST("key (PEM)", mbedtls_pk_parse_key(&pk, (const unsigned char *)TEMPUS_KEY, strlen(TEMPUS_KEY) + 1, NULL, 0));
  MUST("key (DER)", mbedtls_pk_parse_key(&pk_der, TEMPUS_KEY_DER, TEMPUS_KEY_DER_LEN, NULL, 0));
  MUST("key matches the certificate", mbedtls_pk_check_pair(&crt.pk, &pk));
  MUST("DER key matches the DER certificate", mbedtls_pk_check_pair(&der.pk, &pk_der));
  printf("ok %s %s:%d %s\\n", mbedtls_pk_get_name(&pk), TEMPUS_MQTT_HOST, TEMPUS_MQTT_PORT, TEMPUS_MQTT_CLIENT_ID);
  return 0;
}
`;

/** A venv with paho-mqtt 2.2.0, kept in build/ between runs (installed from PyPI once). */
function pahoPython() {
  const venv = path.join(ROOT, 'build', 'venv-paho');
  const python = path.join(venv, 'bin', 'python3');
  if (spawnSync(python, ['-c', 'import paho.mqtt'], { encoding: 'utf8' }).status !== 0) {
    fs.rmSync(venv, { recursive: true, force: true });
    const made = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const pip = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', 'paho-mqtt==2.2.0'], { encoding: 'utf8' });
    assert.equal(pip.status, 0, pip.stderr);
  }
  return python;
}

test('device-code: the header compiles and mbedTLS reads every PEM and DER in it; the scripts log in to mosquitto and publish', async () => {
  const dir = tempDir('device-code');
  cliOk(['server', '--out', path.join(dir, 'srv'), '--cn', 'localhost', '--san', '127.0.0.1', '--key-type', 'ec-p256']);
  const port = await freePort();
  const devices = { 'rsa-device': 'rsa', 'ec-device': 'ec-p256' };
  for (const [name, keyType] of Object.entries(devices)) {
    cliOk(['client', '--out', path.join(dir, name), '--cn', name, '--key-type', keyType]);
    const r = cliOk(['device-code', path.join(dir, name), '--url', `mqtts://127.0.0.1:${port}`, '--ca', path.join(dir, 'srv', 'mqttserver.pub.pem')]);
    assert.match(r.stdout, /secret: the private key/);
    const out = path.join(dir, name, 'device');
    for (const f of ['tempus_credentials.h', 'arduino-esp32/tempus_mqtt.ino', 'esp-idf/main.c', 'paho_mqtt.py', 'mosquitto_pub.sh', 'client.pem', 'client.key', 'ca.pem']) {
      assert.ok(fs.existsSync(path.join(out, f)), f);
    }
    assert.equal(fs.statSync(path.join(out, 'tempus_credentials.h')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.join(out, 'client.key')).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(path.join(out, 'esp-idf', 'main.c'), 'utf8'), /\.broker\.address\.uri[\s\S]*\.broker\.verification\.certificate[\s\S]*\.credentials\.authentication\.certificate[\s\S]*\.credentials\.authentication\.key/);
    assert.match(fs.readFileSync(path.join(out, 'arduino-esp32', 'tempus_mqtt.ino'), 'utf8'), /configTime[\s\S]*setCACert\(TEMPUS_CA\)[\s\S]*setCertificate[\s\S]*setPrivateKey/);
    fs.writeFileSync(path.join(out, 'check.c'), CHECK);
    const cc = spawnSync('gcc', ['-Wall', '-Werror', '-Wno-unused-variable', '-o', path.join(out, 'check'), path.join(out, 'check.c'), '-I', out, '-lmbedx509', '-lmbedcrypto'], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const run = spawnSync(path.join(out, 'check'), { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`^ok (RSA|EC) 127\\.0\\.0\\.1:${port} ${name}`));
    assert.equal(cli(['device-code', path.join(dir, name), '--url', `mqtts://127.0.0.1:${port}`]).code, 1, 'no overwrite without --force');
  }
  assert.equal(cli(['device-code', path.join(dir, 'ec-device'), '--url', 'https://x']).code, 2);
  assert.equal(cli(['device-code', path.join(dir, 'ec-device'), '--url', 'mqtts://x', '--for', 'toaster', '--force']).code, 2);

  // A broker that trusts both devices (self-signed: each is its own anchor) and wants a certificate.
  const cafile = path.join(dir, 'devices.pem');
  fs.writeFileSync(cafile, Object.keys(devices).map((n) => fs.readFileSync(path.join(dir, n, 'mqttclient.pub.pem'), 'utf8')).join(''));
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), mosquittoConf({ port, cafile, certfile: path.join(dir, 'srv', 'mqttserver.pub.pem'), keyfile: path.join(dir, 'srv', 'mqttserver.nopass.pem') }));
  const python = pahoPython();
  let broker;
  try {
    broker = start(MOSQUITTO, ['-c', path.join(dir, 'mosquitto.conf'), '-v'], /running|Opening ipv4 listen socket/);
    await broker.ready;
    const sh = spawnSync('sh', [path.join(dir, 'rsa-device', 'device', 'mosquitto_pub.sh')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(sh.status, 0, `${sh.stderr}\n${broker.output()}`);
    const py = spawnSync(python, ['paho_mqtt.py'], { cwd: path.join(dir, 'ec-device', 'device'), encoding: 'utf8', timeout: 30_000 });
    assert.equal(py.status, 0, `${py.stdout}${py.stderr}\n${broker.output()}`);
    assert.match(py.stdout, /published/);
    await new Promise((r) => setTimeout(r, 300));
    assert.match(broker.output(), /u'rsa-device'/);
    assert.match(broker.output(), /u'ec-device'/);
  } finally {
    stop(broker);
  }
});

test('bulk --device-code: each device folder gets its files for the device; --url is required with it', () => {
  const dir = tempDir('device-code-bulk');
  fs.writeFileSync(path.join(dir, 'names.txt'), 'node-1\nnode-2\n');
  const r = cliOk(['bulk', '--out', path.join(dir, 'fleet'), '--names', path.join(dir, 'names.txt'), '--key-type', 'ec-p256', '--device-code', 'mosquitto', '--url', 'mqtts://broker.example:8883']);
  assert.match(r.stdout, /made 2/);
  for (const name of ['node-1', 'node-2']) {
    const sh = fs.readFileSync(path.join(dir, 'fleet', name, 'device', 'mosquitto_pub.sh'), 'utf8');
    assert.match(sh, new RegExp(`-h "broker\\.example" -p 8883 --capath /etc/ssl/certs [\\s\\S]* -i "${name}"`));
    assert.ok(fs.existsSync(path.join(dir, 'fleet', name, 'device', 'tempus_credentials.h')));
    assert.ok(!fs.existsSync(path.join(dir, 'fleet', name, 'device', 'paho_mqtt.py')), 'only the kind asked for');
  }
  assert.equal(cli(['bulk', '--out', path.join(dir, 'f2'), '--names', path.join(dir, 'names.txt'), '--device-code', 'all']).code, 2);
  assert.equal(cli(['bulk', '--out', path.join(dir, 'f3'), '--names', path.join(dir, 'names.txt'), '--url', 'mqtts://x']).code, 2);
  assert.ok(!fs.existsSync(path.join(dir, 'f2')) && !fs.existsSync(path.join(dir, 'f3')));
});

// ---- The page: "Files for the device" in a client's results ---------------------------------
import { execFileSync } from 'node:child_process';
import { servedPage } from './js/page.mjs';

const { openPage } = servedPage();

test('the page: "Files for the device" zips the header and scripts of the client shown; mbedTLS reads the header', async () => {
  const dir = tempDir('device-code-page');
  cliOk(['server', '--out', dir, '--cn', 'localhost', '--san', '127.0.0.1', '--key-type', 'ec-p256']);
  const { page, context, errors } = await openPage();
  await page.locator('body[data-wasm-ready="true"]').waitFor({ state: 'attached' });
  await page.getByRole('radio', { name: 'Client' }).check();
  await page.getByLabel('Common name (CN)').fill('page-device-1');
  await page.getByLabel('Key type').selectOption({ label: 'EC P-256' });
  await page.getByLabel('Server certificate').fill(fs.readFileSync(path.join(dir, 'mqttserver.pub.pem'), 'utf8'));
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText(/^Done: \d+ files\.$/).waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Files for the device (.zip)' }).click();
  await page.getByText(/is not a broker address/).waitFor();
  await page.getByLabel('Broker address').fill('mqtts://127.0.0.1:8883');
  const waiting = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Files for the device (.zip)' }).click();
  const d = await waiting;
  assert.equal(d.suggestedFilename(), 'mqttclient-device.zip');
  const zipFile = path.join(dir, 'device.zip');
  await d.saveAs(zipFile);
  execFileSync('python3', ['-c', 'import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zipFile, dir]);
  const out = path.join(dir, 'device');
  assert.match(fs.readFileSync(path.join(out, 'tempus_credentials.h'), 'utf8'), /#define TEMPUS_MQTT_CLIENT_ID "page-device-1"/);
  fs.writeFileSync(path.join(out, 'check.c'), CHECK);
  const cc = spawnSync('gcc', ['-o', path.join(out, 'check'), path.join(out, 'check.c'), '-I', out, '-lmbedx509', '-lmbedcrypto'], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  const run = spawnSync(path.join(out, 'check'), { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout);
  assert.deepEqual(errors, []);
  await context.close();
});
