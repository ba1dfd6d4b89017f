// connect (issue 21, part 1): the diagnosis, against real servers on loopback: mosquitto with
// require_certificate (ok; wrong CA file; a name that does not match; a device its CA did not
// sign; a plain MQTT port; a closed port) and a ThingsBoard 3.5-like server (node:tls +
// mqtt-packet) that answers CONNACK 5 (135 on MQTT 5) for an unknown certificate and 0 for a known
// one and records the chain it got, with a local Tempus REST stand-in for --rest; a Tempus-like server (tests/TempusTls.java) failing the
// handshake for an unknown id. Bad files (mismatched, expired, not yet valid) are caught before
// the network; bad usage exits 2 naming the option.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { createHash, X509Certificate } from 'node:crypto';
import mqtt from 'mqtt-packet';
import { cli, cliAsync, cliOk, tempDir, ROOT } from './js/tools.mjs';
import { freePort, start, stop, MOSQUITTO, mosquittoConf } from './js/tls.mjs';
import { startTempus } from './tempus-server.mjs';
import { certificateRequestOf, requestLine } from '../js/connect-probe.js';

const dir = tempDir('connect');
const f = (...p) => path.join(dir, ...p);
cliOk(['server', '--out', f('srv'), '--cn', 'localhost', '--san', '127.0.0.1', '--key-type', 'ec-p256']);
cliOk(['server', '--out', f('other'), '--cn', 'other-broker', '--key-type', 'ec-p256']);
cliOk(['client', '--out', f('known'), '--cn', 'known-device', '--key-type', 'ec-p256']);
cliOk(['client', '--out', f('stranger'), '--cn', 'stranger-device', '--key-type', 'ec-p256']);
fs.writeFileSync(f('ca-pass'), 'correct horse battery\n');
cliOk(['ca', '--out', f('ca'), '--key-type', 'ec-p256', '--key-password-file', f('ca-pass')]);
cliOk(['client', '--out', f('signed'), '--cn', 'signed-device', '--key-type', 'ec-p256', '--ca-cert', f('ca', 'deviceca.pub.pem'), '--ca-key', f('ca', 'deviceca.key.pem'), '--ca-password-file', f('ca-pass')]);
const SRV_CA = f('srv', 'mqttserver.pub.pem');
const stages = (r) => JSON.parse(r.stdout).stages;
const failed = (r) => stages(r).find((s) => !s.ok);

test('connect against mosquitto with require_certificate: ok, wrong CA, wrong name, unknown device, plain port, closed port', async () => {
  const [port, plain, closed] = [await freePort(), await freePort(), await freePort()];
  fs.writeFileSync(f('mosquitto.conf'), mosquittoConf({ port, cafile: f('known', 'mqttclient.pub.pem'), certfile: SRV_CA, keyfile: f('srv', 'mqttserver.nopass.pem') })
    + `listener ${plain} 127.0.0.1\n`);
  let broker;
  try {
    broker = start(MOSQUITTO, ['-c', f('mosquitto.conf'), '-v'], new RegExp(`listen socket on port ${plain}`));
    await broker.ready;
    const url = `mqtts://127.0.0.1:${port}`;

    const ok = cli(['connect', f('known'), '--url', url, '--ca', SRV_CA, '--publish', '{"temperature":21}']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /ok +4 MQTT +CONNACK 0: accepted/);
    assert.match(ok.stdout, /PUBACK/);
    assert.match(ok.stdout, /The device gets in and publishes/);
    const id = createHash('sha3-256').update(new X509Certificate(fs.readFileSync(f('known', 'mqttclient.pub.pem'))).raw.toString('base64')).digest('hex');
    const json = cli(['connect', f('known'), '--url', url, '--ca', SRV_CA, '--json']);
    assert.equal(json.code, 0, json.stdout);
    const j = JSON.parse(json.stdout);
    assert.equal(j.ok, true);
    assert.equal(j.credentialsId, id);
    assert.deepEqual([...new Set(j.stages.map((s) => s.stage))], ['files', 'network', 'tls', 'mqtt']);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(broker.output(), /u'known-device'/);

    const wrongCa = cli(['connect', f('known'), '--url', url, '--ca', f('other', 'mqttserver.pub.pem'), '--json']);
    assert.equal(wrongCa.code, 1);
    assert.equal(failed(wrongCa).stage, 'tls');
    assert.match(failed(wrongCa).detail, /not trusted/);
    assert.match(failed(wrongCa).fix, /other[/\\]mqttserver\.pub\.pem does not hold the CA/);

    const insecure = cli(['connect', f('known'), '--url', url, '--insecure']);
    assert.equal(insecure.code, 0, insecure.stdout);
    assert.match(insecure.stdout, /NOT checked \(--insecure\)/);

    const name = cli(['connect', f('known'), '--url', url, '--ca', SRV_CA, '--servername', 'broker.example', '--json']);
    assert.equal(name.code, 1);
    assert.match(failed(name).detail, /names do not include broker\.example: it has .*localhost.*IP:127\.0\.0\.1/);

    const stranger = cli(['connect', f('stranger'), '--url', url, '--ca', SRV_CA, '--json']);
    assert.equal(stranger.code, 1, stranger.stdout);
    assert.equal(failed(stranger).stage, 'tls');
    assert.match(failed(stranger).detail, /refused the client certificate \(TLS alert [a-z_]+\)/);
    assert.match(failed(stranger).fix, new RegExp(`no device holds credentials id ${JSON.parse(stranger.stdout).credentialsId}[\\s\\S]*CA file \\(mosquitto\\)`));

    const plainPort = cli(['connect', f('known'), '--url', `mqtts://127.0.0.1:${plain}`, '--ca', SRV_CA, '--timeout', '3', '--json']);
    assert.equal(plainPort.code, 1);
    assert.match(failed(plainPort).detail, new RegExp(`port ${plain} answers plain MQTT, not TLS`));

    const closedPort = cli(['connect', f('known'), '--url', `mqtts://127.0.0.1:${closed}`, '--ca', SRV_CA]);
    assert.equal(closedPort.code, 1);
    assert.match(closedPort.stdout, /FAIL 2 network +TCP: .*refused the connection/);
  } finally {
    stop(broker);
  }
});

test('connect: mismatched or unreadable files are caught before the network; bad usage exits 2 naming the option', async () => {
  const closed = await freePort();
  const url = `mqtts://127.0.0.1:${closed}`;
  const mixed = cli(['connect', '--cert', f('known', 'mqttclient.pub.pem'), '--key', f('stranger', 'mqttclient.nopass.pem'), '--url', url, '--json']);
  assert.equal(mixed.code, 1);
  assert.match(failed(mixed).detail, /does not belong to this certificate/);
  assert.ok(!stages(mixed).some((s) => s.stage === 'network'), 'no network stage after a files failure');
  const locked = cli(['connect', '--cert', f('known', 'mqttclient.pub.pem'), '--key', f('known', 'mqttclient.pem'), '--url', url, '--json']);
  if (fs.existsSync(f('known', 'mqttclient.pem'))) {
    // The recipe's .pem is encrypted with the key password (default "password").
    assert.equal(locked.code, 1, locked.stdout + locked.stderr);
    assert.match(failed(locked).detail, /the private key is encrypted and no password was given/);
    assert.match(failed(locked).fix, /--key-password-file/);
    const opened = cli(['connect', '--cert', f('known', 'mqttclient.pub.pem'), '--key', f('known', 'mqttclient.pem'), '--key-password', 'password', '--url', url, '--json']);
    assert.equal(failed(opened).stage, 'network', opened.stdout);
  }
  for (const [args, flag] of [
    [['--url', 'https://x'], '--url'], [['--url', url, '--mqtt', '4'], '--mqtt'], [['--url', url, '--publish', '{nope'], '--publish'],
    [['--url', url, '--timeout', '0'], '--timeout'], [['--url', url, '--ca', f('srv', 'mqttserver.pub.pem'), '--insecure'], '--insecure'],
    [['--url', url, '--ca', f('missing.pem')], '--ca'],
  ]) {
    const r = cli(['connect', f('known'), ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(flag.replace(/-/g, '\\-')));
  }
  assert.equal(cli(['connect', '--url', url]).code, 2);

  // Expired and not yet valid: the same files, checked at another time (the API takes `now`).
  const { checkConnection } = await import('../js/node.js');
  const device = { certificate: fs.readFileSync(f('known', 'mqttclient.pub.pem'), 'utf8'), key: fs.readFileSync(f('known', 'mqttclient.nopass.pem'), 'utf8'), url };
  const later = await checkConnection({ ...device, now: new Date('2099-01-01') });
  assert.equal(later.ok, false);
  assert.match(later.stages.find((s) => !s.ok).detail, /^expired on \d{4}-\d\d-\d\d$/);
  assert.match(later.stages.find((s) => !s.ok).fix, /tempus-certgen renew/);
  assert.ok(!later.stages.some((s) => s.stage === 'network'));
  const earlier = await checkConnection({ ...device, now: new Date('2001-01-01') });
  assert.match(earlier.stages.find((s) => !s.ok).detail, /^not yet valid/);
});

/** A ThingsBoard 3.5-like MQTT server: TLS wants (not needs) a client certificate; CONNACK 5/135 unless the leaf's id is known. */
function thingsboard35(known, tlsOptions = {}) {
  const chains = [];
  const server = tls.createServer({
    cert: fs.readFileSync(SRV_CA), key: fs.readFileSync(f('srv', 'mqttserver.nopass.pem')), requestCert: true, rejectUnauthorized: false, ...tlsOptions,
  }, (socket) => {
    const leaf = socket.getPeerCertificate(true);
    const chain = [];
    for (let c = leaf; c?.raw && !chain.some((x) => x.equals(c.raw)); c = c.issuerCertificate) chain.push(c.raw);
    chains.push(chain.length);
    const id = leaf?.raw ? createHash('sha3-256').update(leaf.raw.toString('base64')).digest('hex') : null;
    const parser = mqtt.parser({ protocolVersion: 5 });
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => {});
    parser.on('packet', (p) => {
      if (p.cmd !== 'connect') return;
      const v5 = p.protocolVersion === 5;
      const code = known.includes(id) ? 0 : (v5 ? 135 : 5);
      socket.write(mqtt.generate(v5 ? { cmd: 'connack', reasonCode: code, sessionPresent: false } : { cmd: 'connack', returnCode: code, sessionPresent: false }, { protocolVersion: v5 ? 5 : 4 }));
      if (code) socket.end();
    });
  });
  return { server, chains };
}

test('connect against a ThingsBoard 3.5-like server: CONNACK 5 (135 on MQTT 5) for an unknown certificate, explained with its id; 0 for a known one', async () => {
  const knownId = JSON.parse(cli(['connect', f('known'), '--url', 'mqtts://127.0.0.1:1', '--json', '--timeout', '1']).stdout).credentialsId;
  const { server, chains } = thingsboard35([knownId]);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtts://127.0.0.1:${server.address().port}`;
  try {
    const ok = await cliAsync(['connect', f('known'), '--url', url, '--ca', SRV_CA]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.deepEqual(chains, [1], 'the leaf only (self-signed)');
    const signed = await cliAsync(['connect', f('signed'), '--url', url, '--ca', SRV_CA, '--json']);
    assert.equal(signed.code, 1);
    assert.deepEqual(chains, [1, 2], 'a CA-signed device sends its leaf and its CA');
    assert.match(stages(signed).find((s) => s.stage === 'files' && /chain:/.test(s.detail)).detail, /signed-device <- Tempus Device CA, each signed by the next/);
    assert.match(failed(signed).fix, /X509 Certificates Chain" provisioning the device must send its chain up to the CA uploaded to the profile/);
    const unknown = await cliAsync(['connect', f('stranger'), '--url', url, '--ca', SRV_CA, '--json']);
    assert.equal(unknown.code, 1);
    const fail = failed(unknown);
    assert.equal(fail.detail, 'CONNACK 5: not authorized');
    assert.match(fail.fix, new RegExp(`no device holds credentials id ${JSON.parse(unknown.stdout).credentialsId}`));
    const v5 = await cliAsync(['connect', f('stranger'), '--url', url, '--ca', SRV_CA, '--mqtt', '5', '--json']);
    assert.equal(failed(v5).detail, 'CONNACK 135: not authorized');

    // --rest: what the platform holds for the device named by the CN.
    const rest = await startTempus();
    try {
      const known = rest.addDevice('known-device');
      Object.assign(rest.devices.get(known), { credentialsType: 'X509_CERTIFICATE', credentialsId: knownId });
      const other = rest.addDevice('stranger-device');
      Object.assign(rest.devices.get(other), { credentialsType: 'X509_CERTIFICATE', credentialsId: 'f'.repeat(64) });
      const login = ['--rest', rest.baseUrl, '--username', 'tenant@tempus.local'];
      const env = { TEMPUS_PASSWORD: 'tenant' };
      const held = await cliAsync(['connect', f('known'), '--url', url, '--ca', SRV_CA, ...login], { env });
      assert.equal(held.code, 0, held.stdout + held.stderr);
      assert.match(held.stdout, new RegExp(`ok +1 platform +device known-device: it holds this certificate \\(credentials id ${knownId}\\)`));
      const pasted = await cliAsync(['connect', f('stranger'), '--url', url, '--ca', SRV_CA, '--json', ...login], { env });
      assert.equal(pasted.code, 1);
      const p = stages(pasted).find((s) => s.stage === 'platform');
      assert.match(p.detail, /it holds another certificate \(credentials id f{64}\)/);
      assert.match(p.fix, new RegExp(`a different certificate was pasted there: set this one \\(tempus-certgen provision --url .* --device-id ${other}`));
      const missing = await cliAsync(['connect', f('signed'), '--url', url, '--ca', SRV_CA, '--json', ...login], { env });
      assert.match(stages(missing).find((s) => s.stage === 'platform').detail, /no device named signed-device/);
      assert.equal((await cliAsync(['connect', f('known'), '--url', url, '--username', 'x'])).code, 2, 'login options without --rest');
    } finally {
      await rest.close();
    }
  } finally {
    server.close();
  }
});

test('connect against a Tempus-like server (tests/TempusTls.java, the platform\'s trust manager): the handshake fails for an unknown id, explained with that id', async () => {
  const port = await freePort();
  const knownId = JSON.parse(cli(['connect', f('known'), '--url', 'mqtts://127.0.0.1:1', '--json', '--timeout', '1']).stdout).credentialsId;
  const java = start('java', [path.join(ROOT, 'tests', 'TempusTls.java'), 'server', f('srv', 'mqttserver.p12'), 'PKCS12', 'server_ks_password', 'server_ks_password', String(port), knownId], /READY/);
  try {
    await java.ready;
    const url = `mqtts://127.0.0.1:${port}`;
    const unknown = await cliAsync(['connect', f('stranger'), '--url', url, '--ca', SRV_CA, '--json']);
    assert.equal(unknown.code, 1, unknown.stdout + unknown.stderr);
    const fail = failed(unknown);
    assert.equal(fail.stage, 'tls', unknown.stdout);
    assert.match(fail.detail, /refused the client certificate \(TLS alert (certificate_unknown|bad_certificate)\)/);
    assert.match(fail.fix, new RegExp(`Tempus and ThingsBoard before 3\\.5: no device holds credentials id ${JSON.parse(unknown.stdout).credentialsId}`));
    // The known device gets through TLS (the Java server speaks lines, not MQTT: no CONNACK comes).
    const known = await cliAsync(['connect', f('known'), '--url', url, '--ca', SRV_CA, '--timeout', '2', '--json']);
    assert.equal(known.code, 1);
    assert.ok(stages(known).filter((s) => s.stage === 'tls').every((s) => s.ok), known.stdout);
    assert.match(failed(known).detail, /no CONNACK within 2 s|closed the connection after CONNECT/);
  } finally {
    stop(java);
  }
});

test('connect, refused: which CAs the server takes client certificates from (its CertificateRequest, read by openssl s_client)', async () => {
  const signedId = JSON.parse(cli(['connect', f('signed'), '--url', 'mqtts://127.0.0.1:1', '--json', '--timeout', '1']).stdout).credentialsId;
  // A broker that needs a certificate from the device CA, and lists it as its CA names (Node sends the `ca` list).
  const { server } = thingsboard35([signedId], { rejectUnauthorized: true, ca: fs.readFileSync(f('ca', 'deviceca.pub.pem')) });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtts://127.0.0.1:${server.address().port}`;
  try {
    const request = await certificateRequestOf({ address: '127.0.0.1', port: server.address().port, ms: 5000 });
    assert.equal(request.asked, true);
    assert.deepEqual(request.names.map((n) => /CN = (.*)$/.exec(n)?.[1]), ['Tempus Device CA']);
    const signed = await cliAsync(['connect', f('signed'), '--url', url, '--ca', SRV_CA]);
    assert.equal(signed.code, 0, signed.stdout + signed.stderr);
    const stranger = await cliAsync(['connect', f('stranger'), '--url', url, '--ca', SRV_CA, '--json']);
    assert.equal(stranger.code, 1, stranger.stdout);
    const lines = stages(stranger).filter((s) => s.stage === 'tls' && !s.ok);
    assert.match(lines[0].detail, /the server accepts client certificates from .*CN = Tempus Device CA; this one was issued by .*CN=stranger-device/);
    assert.match(lines[0].fix, /give the broker this device's CA/);
    // Node's TLS 1.3 server ends the connection without an alert: the MQTT stage says so.
    assert.match(stages(stranger).filter((s) => !s.ok).at(-1).detail, /refused the client certificate|closed the connection after CONNECT/);
  } finally {
    server.close();
  }
  // One that asks for none: said as such (from s_client's own output on a server without requestCert).
  const plain = tls.createServer({ cert: fs.readFileSync(SRV_CA), key: fs.readFileSync(f('srv', 'mqttserver.nopass.pem')) }, (s) => s.end());
  await new Promise((r) => plain.listen(0, '127.0.0.1', r));
  try {
    const none = await certificateRequestOf({ address: '127.0.0.1', port: plain.address().port, ms: 5000 });
    assert.deepEqual(none, { asked: false, names: [] });
    assert.match(requestLine(none, [])[1], /did not ask for a client certificate/);
  } finally {
    plain.close();
  }
});
