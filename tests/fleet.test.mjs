// Fleets over real TLS (issue 10): device certificates signed by a device CA made with the CLI.
// - mosquitto with cafile = the device CA and require_certificate: CA-signed clients (RSA, EC)
//   get in, a client signed by another CA does not;
// - a Java server doing ThingsBoard's X.509 chain provisioning (tempus-reference.md, section 7;
//   tests/TempusTls.java): a client presenting [leaf, CA] from its JKS, its PKCS#12 or its
//   .nopass.pem is provisioned under the name the CN regex gives; the leaf sent alone, and a
//   leaf of a stranger CA, are refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, tempDir, ROOT } from './js/tools.mjs';
import { freePort, start, stop, MOSQUITTO, mosquittoConf } from './js/tls.mjs';

const JAVA_PROGRAM = path.join(ROOT, 'tests', 'TempusTls.java');

function run(args, env = {}) {
  const r = cli(args, { env });
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout.match(/credentials id: ([0-9a-f]{64})/)[1];
}

let made;
/** A server, the device CA (RSA), a stranger CA (EC), and clients: RSA and EC by the device CA, one by the stranger. */
function fleet() {
  if (made) return made;
  const dir = tempDir('fleet');
  const pw = path.join(dir, 'ca-pw');
  fs.writeFileSync(pw, 'fleet-ca-secret\n', { mode: 0o600 });
  run(['server', '--out', dir, '--cn', 'localhost', '--san', '127.0.0.1']);
  const caId = run(['ca', '--out', dir, '--key-password-file', pw, '--cn', 'Fleet Device CA']);
  run(['ca', '--out', dir, '--key-password-file', pw, '--cn', 'Stranger CA', '--prefix', 'strangerca', '--key-type', 'ec-p256']);
  const signed = (prefix, cn, keyType, ca) => run(['client', '--out', dir, '--prefix', prefix, '--cn', cn, '--key-type', keyType,
    '--server-cert', path.join(dir, 'mqttserver.pub.pem'), '--ca-cert', path.join(dir, `${ca}.pub.pem`), '--ca-key', path.join(dir, `${ca}.key.pem`),
    '--ca-password-file', pw]);
  const ids = {
    rsa: signed('rsadevice', 'device-rsa-1', 'rsa', 'deviceca'),
    ec: signed('ecdevice', 'device-ec-1', 'ec-p256', 'deviceca'),
    stranger: signed('stranger', 'device-stranger', 'ec-p256', 'strangerca'),
  };
  made = { dir, caId, ids };
  return made;
}

test('mosquitto with cafile = the device CA: CA-signed RSA and EC clients publish, a client of another CA is refused', async () => {
  const { dir } = fleet();
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), mosquittoConf({
    port, cafile: path.join(dir, 'deviceca.pub.pem'),
    certfile: path.join(dir, 'mqttserver.pub.pem'), keyfile: path.join(dir, 'mqttserver.nopass.pem'),
  }));
  let broker;
  try {
    broker = start(MOSQUITTO, ['-c', path.join(dir, 'mosquitto.conf'), '-v'], /running|Opening ipv4 listen socket/);
    await broker.ready;
    const pub = (prefix) => spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '--cafile', path.join(dir, 'mqttserver.pub.pem'),
      '--cert', path.join(dir, `${prefix}.nopass.pem`), '--key', path.join(dir, `${prefix}.nopass.pem`), '-t', 'fleet/test', '-m', `from ${prefix}`, '-i', prefix],
    { encoding: 'utf8', timeout: 30_000 });
    for (const prefix of ['rsadevice', 'ecdevice']) {
      const r = pub(prefix);
      assert.equal(r.status, 0, `${prefix}: ${r.stderr}\nbroker:\n${broker.output()}`);
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.match(broker.output(), /u'device-rsa-1'/);
    assert.match(broker.output(), /u'device-ec-1'/);
    const refused = pub('stranger');
    assert.notEqual(refused.status, 0, 'a client signed by another CA is refused');
    assert.doesNotMatch(broker.output(), /u'device-stranger'/);
  } finally {
    stop(broker);
  }
});

test('Java server doing chain provisioning: [leaf, CA] from JKS, PKCS#12 and .nopass.pem is provisioned by CN regex; a leaf alone or of a stranger CA is refused', async () => {
  const { dir, caId, ids } = fleet();
  const port = await freePort();
  let server;
  try {
    // No device registered ("-"); the profile holds the device CA; names from ^device-(.*)$.
    server = start('java', [JAVA_PROGRAM, 'server', path.join(dir, 'mqttserver.jks'), 'JKS', 'server_ks_password', 'server_key_password', String(port), '-',
      path.join(dir, 'deviceca.pub.pem'), '^device-(.*)$'], /READY/);
    await server.ready;
    const sClient = (args, input) => spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', path.join(dir, 'mqttserver.pub.pem'),
      '-verify_return_error', '-quiet', ...args], { input: `${input}\n`, encoding: 'utf8', timeout: 30_000 });
    const javaClient = (store, type, message) => spawnSync('java', [JAVA_PROGRAM, 'client', path.join(dir, store), type, 'password', 'password', String(port), message],
      { encoding: 'utf8', timeout: 60_000 });

    // The leaf alone (-cert sends only the first certificate): no device, no profile.
    const alone = sClient(['-cert', path.join(dir, 'rsadevice.pub.pem'), '-key', path.join(dir, 'rsadevice.nopass.pem')], 'leaf alone');
    assert.doesNotMatch(alone.stdout, /hello/);
    // A stranger CA's chain: refused, though it is a well-formed chain.
    const stranger = sClient(['-cert', path.join(dir, 'stranger.nopass.pem'), '-key', path.join(dir, 'stranger.nopass.pem'),
      '-cert_chain', path.join(dir, 'stranger.nopass.pem')], 'stranger');
    assert.doesNotMatch(stranger.stdout, /hello/);
    const js = javaClient('stranger.jks', 'JKS', 'stranger');
    assert.notEqual(js.status, 0);

    // The RSA device from its JKS: the key entry's chain [leaf, CA].
    const j = javaClient('rsadevice.jks', 'JKS', 'from java');
    assert.equal(j.status, 0, `${j.stdout}\n${j.stderr}\nserver:\n${server.output()}`);
    assert.match(j.stdout, /hello CN=device-rsa-1,.* you said from java/);
    // The EC device from .nopass.pem: -build_chain sends the leaf and the CA the file carries.
    const o = sClient(['-cert', path.join(dir, 'ecdevice.nopass.pem'), '-key', path.join(dir, 'ecdevice.nopass.pem'),
      '-build_chain', '-chainCAfile', path.join(dir, 'ecdevice.nopass.pem')], 'from openssl');
    assert.match(o.stdout, /hello CN=device-ec-1,.* you said from openssl/, `${o.stdout}\n${o.stderr}\nserver:\n${server.output()}`);
    // Once provisioned, the device is found by its leaf's id: the leaf alone now gets in.
    const again = sClient(['-cert', path.join(dir, 'rsadevice.pub.pem'), '-key', path.join(dir, 'rsadevice.nopass.pem')], 'known now');
    assert.match(again.stdout, /hello CN=device-rsa-1/);
    // The PKCS#12 carries the chain too.
    const p = javaClient('ecdevice.p12', 'PKCS12', 'from p12');
    assert.equal(p.status, 0, `${p.stdout}\n${p.stderr}`);

    await new Promise((r) => setTimeout(r, 300));
    const out = server.output();
    assert.match(out, new RegExp(`PROVISIONED rsa-1 ${ids.rsa}`));
    assert.match(out, new RegExp(`PROVISIONED ec-1 ${ids.ec}`));
    assert.doesNotMatch(out, new RegExp(`PROVISIONED .* ${ids.stranger}`));
    assert.match(out, new RegExp(`CHAIN 2 ${ids.rsa} ${caId}`), 'the JKS sent [leaf, CA]');
    assert.match(out, new RegExp(`CHAIN 2 ${ids.ec} ${caId}`), '.nopass.pem gave [leaf, CA]');
    assert.match(out, new RegExp(`CHAIN 1 ${ids.rsa}\\n`), 'the leaf alone');
    assert.match(out, /REFUSED .*Invalid Device Certificate/);
  } finally {
    stop(server);
  }
});
