// Logging in to the platform from a command line (provision, revoke --deprovision): a token or
// a user and password, from files and the environment first, a prompt at a terminal last; and
// how long each request may take.
import { printable } from '../../js/describe.js';
import { UsageError, env } from './args.js';
import { promptSecret } from './prompt.js';

/** --timeout S: a number of seconds above 0 (default 30). */
export function timeoutOf(args) {
  if (args.timeout === undefined) return undefined;
  const n = Number(args.timeout);
  if (!Number.isFinite(n) || n <= 0 || n > 86400) throw new UsageError(`must be a number of seconds above 0, got "${printable(args.timeout, 40)}"`, 'timeout');
  return n;
}

/** The login: a token, or a user and password (files and the environment first; a prompt at a terminal). */
export async function login(args) {
  let { token, password } = args;
  if (token === undefined && args.username === undefined) token = env('TEMPUS_TOKEN');
  if (password === undefined && args.username !== undefined) password = env('TEMPUS_PASSWORD');
  if (!token && args.username && !password && process.stdin.isTTY) {
    password = await promptSecret(`Password for ${args.username} at ${args.url}: `);
  }
  if (!token && !(args.username && password)) {
    throw new UsageError('provision needs a token (--token-file F, TEMPUS_TOKEN or --token T), or --username U with a password ' +
      '(--password-file F, TEMPUS_PASSWORD, --password P, or typed at the prompt when run in a terminal)', 'token');
  }
  return { token, password };
}

