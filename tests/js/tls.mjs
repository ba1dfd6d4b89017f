// Servers for the TLS tests: a free port, a process started until it says it is ready.
import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';

export const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => fs.existsSync(p)) || 'mosquitto';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Start a process, resolve once a line matches `ready`; always killed by the caller. */
export function start(cmd, args, ready, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let output = '';
  const waiting = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not become ready:\n${output}`)), 60_000);
    const onData = (d) => {
      output += d;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited (${code}):\n${output}`));
    });
  });
  return { child, ready: waiting, output: () => output };
}

export function stop(proc) {
  if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
}

/** A mosquitto config: TLS on 127.0.0.1:port, clients must present a certificate `cafile` verifies. */
export function mosquittoConf({ port, cafile, certfile, keyfile, crlfile }) {
  return [
    'user root', // the key files are owner-only; keep the broker from switching users
    `listener ${port} 127.0.0.1`,
    `cafile ${cafile}`,
    ...(crlfile ? [`crlfile ${crlfile}`] : []),
    `certfile ${certfile}`,
    `keyfile ${keyfile}`,
    'require_certificate true',
    'use_identity_as_username true',
    'allow_anonymous false',
    'persistence false',
    '',
  ].join('\n');
}
