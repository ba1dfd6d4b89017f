// tempus-certgen connect: does the device get in? A real MQTT login over TLS, stage by stage,
// each failure named with what to do (js/connect.js does the work).
import fs from 'node:fs';
import { checkConnection } from '../../js/node.js';
import { parseBrokerUrl } from '../../js/connect.js';
import { UsageError, readInput, deviceFolder } from '../cli/args.js';
import { printable } from '../../js/describe.js';
import { login } from '../cli/login.js';

const text = (f, field) => Buffer.from(readInput(f, field)).toString('utf8');

/** The device's files: DIR (a client folder tempus-certgen wrote), then --cert/--key/--chain over it. */
function deviceFiles(dir, args) {
  const files = {};
  if (dir) {
    const file = deviceFolder(dir);
    files.certificate = text(file('.pub.pem'), 'path');
    if (fs.existsSync(file('.nopass.pem'))) files.key = text(file('.nopass.pem'), 'path');
    else if (fs.existsSync(file('.pem'))) files.key = text(file('.pem'), 'path');
    if (fs.existsSync(file('.chain.pem'))) files.certificate = text(file('.chain.pem'), 'path');
  }
  if (args.cert) files.certificate = text(args.cert, 'cert');
  if (args.key) files.key = text(args.key, 'key');
  if (args.chain) files.chain = text(args.chain, 'chain');
  if (!files.certificate) throw new UsageError('connect needs DIR (a device folder) or --cert FILE', 'cert');
  if (!files.key) throw new UsageError('connect needs the device\'s private key: DIR with a .nopass.pem, or --key FILE', 'key');
  return files;
}

export default {
  name: 'connect',
  usage: '  tempus-certgen connect [DIR] [--cert F] [--key F] [--key-password-file F] [--chain F] --url mqtts://HOST[:PORT]\n'
    + '                         [--ca FILE | --insecure] [--servername NAME] [--client-id ID] [--publish JSON] [--timeout S] [--mqtt 3.1.1|5] [--json]\n'
    + '                         [--rest URL (--token-file F | --username U [--password-file F])]',
  groups: ['connect', 'json', 'help'],
  extra: ['--url', '--timeout', '--ca', '--cert', '--key', '--chain', '--key-password-file', '--key-password',
    '--token-file', '--token', '--username', '--password-file', '--password', '--auth-header', '--allow-http'],
  fieldFlags: { url: '--url', ca: '--ca', cert: '--cert', key: '--key', chain: '--chain', timeout: '--timeout', mqtt: '--mqtt', publish: '--publish' },
  async run(args) {
    if (!args.url) throw new UsageError('--url mqtts://HOST[:PORT] is required (the broker the device logs in to)', 'url');
    try {
      parseBrokerUrl(args.url);
    } catch (e) {
      throw new UsageError(e.message, 'url');
    }
    if (args.ca && args.insecure) throw new UsageError('give --ca FILE or --insecure, not both', 'insecure');
    if (args.mqtt !== undefined && args.mqtt !== '3.1.1' && args.mqtt !== '5') throw new UsageError(`must be 3.1.1 or 5, got "${args.mqtt}"`, 'mqtt');
    const timeout = args.timeout === undefined ? 10 : Number(args.timeout);
    if (!(timeout > 0 && timeout <= 600)) throw new UsageError(`must be seconds between 1 and 600, got "${args.timeout}"`, 'timeout');
    if (args.publish !== undefined) {
      try {
        JSON.parse(args.publish);
      } catch (e) {
        throw new UsageError(`is not JSON (${e.message}), e.g. --publish '{"temperature":21}'`, 'publish');
      }
    }
    const files = deviceFiles(args.positional[1], args);
    const ca = args.ca === undefined ? undefined : text(args.ca, 'ca');
    if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${args.ca} holds no PEM certificate`, 'ca');
    let rest;
    if (args.rest !== undefined) {
      const { token, password } = await login({ ...args, url: args.rest });
      rest = { baseUrl: args.rest, token, username: args.username, password, authHeader: args.authHeader, allowInsecureHttp: !!args.allowHttp, timeout };
    } else if (args.token || args.tokenFile || args.username) {
      throw new UsageError('the login options go with --rest URL (the platform to ask)', 'rest');
    }
    const mark = { platform: '1 platform', files: '1 files', network: '2 network', tls: '3 TLS', mqtt: '4 MQTT', publish: '5 publish' };
    const r = await checkConnection({
      ...files, keyPassword: args.keyPassword, url: args.url, ca, caName: args.ca, insecure: !!args.insecure,
      rest, servername: args.servername, clientId: args.clientId, publish: args.publish, timeout, mqtt: args.mqtt,
      onStage: args.json ? undefined : (s) => {
        console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${mark[s.stage].padEnd(10)} ${printable(s.detail)}`);
        if (s.fix) console.log(`${' '.repeat(16)}${s.ok ? 'note' : 'fix'}: ${printable(s.fix)}`);
      },
    });
    if (args.json) console.log(JSON.stringify(r, null, 2));
    else console.log(r.ok ? `The device gets in${args.publish !== undefined ? ' and publishes' : ''}.` : 'The device does not get in (see FAIL above).');
    return r.ok ? 0 : 1;
  },
};
