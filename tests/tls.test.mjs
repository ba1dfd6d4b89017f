// Real two-way TLS with files the CLI (the wasm module) made: a mosquitto broker with
// require_certificate, and a Java server that authenticates clients the way Tempus does (by the
// credentials id), reached by openssl s_client and by a Java client using the client key store.
//   KEY_SIZES=2048,3072,4096 runs the same for each key size (npm run test:slow); "ec-p256" in
//   the list runs it with EC P-256 keys (in the default list: 2048,ec-p256).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { cli, tempDir, ROOT } from './js/tools.mjs';
import { freePort, start, stop, MOSQUITTO, mosquittoConf } from './js/tls.mjs';

const KEY_SIZES = (process.env.KEY_SIZES || '2048,ec-p256').split(',').map((s) => s.trim());
const keyArgs = (bits) => (bits === 'ec-p256' ? ['--key-type', 'ec-p256'] : ['--key-size', bits]);
const keyName = (bits) => (bits === 'ec-p256' ? 'EC P-256' : `RSA ${bits}`);
const JAVA_PROGRAM = path.join(ROOT, 'tests', 'TempusTls.java');

function generate(dir, role, args) {
  const r = cli([role, '--out', dir, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.match(/credentials id: ([0-9a-f]{64})/)[1];
}

/** Server, a registered client trusting it, and a stranger (a client nobody registered). */
function credentials(bits) {
  const dir = tempDir(`tls-${bits}`);
  const serverId = generate(dir, 'server', ['--cn', 'localhost', '--san', '127.0.0.1', ...keyArgs(bits)]);
  const server = path.join(dir, 'mqttserver.pub.pem');
  const clientId = generate(dir, 'client', ['--cn', 'device-1', '--server-cert', server, ...keyArgs(bits)]);
  const strangerId = generate(dir, 'client', ['--cn', 'stranger', '--prefix', 'stranger', '--server-cert', server, ...keyArgs(bits)]);
  return { dir, serverId, clientId, strangerId };
}

for (const bits of KEY_SIZES) {
  test(`mosquitto with require_certificate: a registered client publishes, a stranger is refused (${keyName(bits)})`, async () => {
    const { dir } = credentials(bits);
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'mosquitto.conf'), mosquittoConf({
      port, cafile: path.join(dir, 'mqttclient.pub.pem'),
      certfile: path.join(dir, 'mqttserver.pub.pem'), keyfile: path.join(dir, 'mqttserver.nopass.pem'),
    }));
    let broker;
    let sub;
    try {
      broker = start(MOSQUITTO, ['-c', path.join(dir, 'mosquitto.conf'), '-v'], /running|Opening ipv4 listen socket/);
      await broker.ready;
      const tls = (prefix) => ['-h', '127.0.0.1', '-p', String(port), '--cafile', path.join(dir, 'mqttserver.pub.pem'),
        '--cert', path.join(dir, `${prefix}.nopass.pem`), '--key', path.join(dir, `${prefix}.nopass.pem`)];
      sub = spawn('mosquitto_sub', [...tls('mqttclient'), '-t', 'tempus/test', '-C', '1', '-W', '30', '-i', 'sub-1']);
      let received = '';
      sub.stdout.on('data', (d) => { received += d; });
      const subDone = new Promise((resolve) => sub.on('exit', resolve));
      // Publish until the subscriber has its message (it may not be subscribed yet).
      for (let i = 0; i < 50 && !received; i++) {
        const pub = spawnSync('mosquitto_pub', [...tls('mqttclient'), '-t', 'tempus/test', '-m', `hello over mTLS ${bits}`, '-i', 'pub-1'], { encoding: 'utf8' });
        assert.equal(pub.status, 0, `mosquitto_pub: ${pub.stderr}\nbroker:\n${broker.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(await subDone, 0, `mosquitto_sub: broker:\n${broker.output()}`);
      assert.equal(received.trim(), `hello over mTLS ${bits}`);
      assert.match(broker.output(), /u'device-1'/, 'the broker took the CN as the user name');

      const refused = spawnSync('mosquitto_pub', [...tls('stranger'), '-t', 'tempus/test', '-m', 'let me in', '-i', 'pub-2'], { encoding: 'utf8' });
      assert.notEqual(refused.status, 0, 'a certificate the broker does not know is refused');
    } finally {
      sub?.kill('SIGKILL');
      stop(broker);
    }
  });

  for (const [store, type] of [['jks', 'JKS'], ['p12', 'PKCS12']]) {
    test(`Tempus-style Java TLS server (${type}): openssl and Java clients log in, a stranger is refused (${keyName(bits)})`, async () => {
      const { dir, clientId } = credentials(bits);
      const port = await freePort();
      // For PKCS12 the key password is the keystore password (see README).
      const serverKeyPass = type === 'JKS' ? 'server_key_password' : 'server_ks_password';
      let server;
      try {
        server = start('java', [JAVA_PROGRAM, 'server', path.join(dir, `mqttserver.${store}`), type, 'server_ks_password', serverKeyPass, String(port), clientId], /READY/);
        await server.ready;

        const s = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-cert', path.join(dir, 'mqttclient.nopass.pem'),
          '-key', path.join(dir, 'mqttclient.nopass.pem'), '-CAfile', path.join(dir, 'mqttserver.pub.pem'), '-verify_return_error',
          '-verify_hostname', 'localhost', '-quiet'], { input: 'from openssl\n', encoding: 'utf8', timeout: 30_000 });
        assert.match(s.stdout, /hello CN=device-1,.* you said from openssl/, `openssl s_client:\n${s.stdout}\n${s.stderr}\nserver:\n${server.output()}`);

        const j = spawnSync('java', [JAVA_PROGRAM, 'client', path.join(dir, `mqttclient.${store}`), type, 'password', 'password', String(port), 'from java'], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(j.status, 0, `java client:\n${j.stdout}\n${j.stderr}\nserver:\n${server.output()}`);
        assert.match(j.stdout, /hello CN=device-1,.* you said from java/);

        const stranger = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-cert', path.join(dir, 'stranger.nopass.pem'),
          '-key', path.join(dir, 'stranger.nopass.pem'), '-CAfile', path.join(dir, 'mqttserver.pub.pem'), '-quiet'], { input: 'let me in\n', encoding: 'utf8', timeout: 30_000 });
        assert.doesNotMatch(stranger.stdout, /hello/, 'an unregistered client certificate is refused');
        const js = spawnSync('java', [JAVA_PROGRAM, 'client', path.join(dir, `stranger.${store}`), type, 'password', 'password', String(port), 'let me in'], { encoding: 'utf8', timeout: 60_000 });
        assert.notEqual(js.status, 0);
        await new Promise((r) => setTimeout(r, 300));
        assert.match(server.output(), /REFUSED .*Invalid Device Certificate/);
        assert.equal((server.output().match(/ACCEPTED /g) || []).length, 2);
      } finally {
        stop(server);
      }
    });
  }
}
