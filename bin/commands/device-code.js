// tempus-certgen device-code: DIR/device/ with what a microcontroller (or a script) needs to log
// in as the device of DIR: a C header, an Arduino-ESP32 sketch, an ESP-IDF main.c, a paho-mqtt
// script and a mosquitto_pub line, for one broker.
import fs from 'node:fs';
import path from 'node:path';
import { inspectCertificate } from '../../js/node.js';
import { deviceFiles, KINDS } from '../../js/device-code.js';
import { UsageError, readInput, deviceFolder } from '../cli/args.js';
import { writeDeviceCode } from '../cli/output.js';

/** DIR's certificate (with its chain when CA-signed) and its unencrypted key. */
function deviceOf(dir) {
  const file = deviceFolder(dir);
  if (!fs.existsSync(file('.nopass.pem'))) throw new UsageError(`${dir} holds no ${file.prefix}.nopass.pem (the unencrypted key a device uses)`, 'path');
  const text = (f) => Buffer.from(readInput(f, 'path')).toString('utf8');
  return { certificatePem: text(fs.existsSync(file('.chain.pem')) ? file('.chain.pem') : file('.pub.pem')), keyPem: text(file('.nopass.pem')) };
}

/** The device files for DIR's device (--url, --ca, --for). */
export async function deviceCodeFor(dir, args) {
  if (!args.url) throw new UsageError('--url mqtts://HOST[:PORT] is required (the broker the device logs in to)', 'url');
  const kind = args.for ?? 'all';
  if (kind !== 'all' && !KINDS.includes(kind)) throw new UsageError(`must be ${KINDS.join(', ')} or all, got "${kind}"`, 'for');
  const device = deviceOf(dir);
  const info = await inspectCertificate(device.certificatePem);
  const caPem = args.ca === undefined ? null : Buffer.from(readInput(args.ca, 'ca')).toString('utf8');
  if (caPem !== null && !caPem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${args.ca} holds no PEM certificate`, 'ca');
  return deviceFiles({ ...device, caPem, url: args.url, clientId: info.commonName ?? 'device', kinds: kind === 'all' ? KINDS : [kind] });
}

export default {
  name: 'device-code',
  usage: '  tempus-certgen device-code DIR --url mqtts://HOST[:PORT] [--ca FILE] [--for arduino-esp32|esp-idf|paho-python|mosquitto|all]',
  groups: ['device', 'output', 'help'],
  extra: ['--url'],
  fieldFlags: { url: '--url', for: '--for', ca: '--ca' },
  async run(args) {
    const dir = args.positional[1];
    if (!dir) throw new UsageError('device-code needs DIR: a device folder tempus-certgen wrote (client)', 'path');
    const files = await deviceCodeFor(dir, args);
    const out = path.join(dir, 'device');
    writeDeviceCode(out, files, args.force);
    for (const f of files) console.log(`wrote ${path.join(out, f.name)}${f.secret ? ' (secret: the private key)' : ''}`);
    console.log('The header holds the device\'s private key unencrypted: put it on the device only, never in version control.');
    return 0;
  },
};
