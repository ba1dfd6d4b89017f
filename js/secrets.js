// Passwords and the wiping of secret bytes: no wasm needed, so the embed script's first half
// (js/embed.js) can offer them without loading the rest.
import { codedError } from './errors.js';

// Letters and digits without the look-alikes (0 O 1 l I): 56 symbols, 5.8 bits each.
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A strong random password from the platform's CSPRNG (crypto.getRandomValues): 24 symbols, about
 * 139 bits, unbiased (rejection sampling). What "Use random passwords" puts in the fields.
 */
export function randomPassword(length = 24) {
  if (!Number.isInteger(length) || length < 12 || length > 128) {
    throw codedError('randomPassword: length must be a whole number from 12 to 128', 'out_of_range', { field: 'length' });
  }
  const n = PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % n); // bytes at or above this would favour the first symbols
  let out = '';
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (const b of bytes) if (b < limit && out.length < length) out += PASSWORD_ALPHABET[b % n];
  }
  bytes.fill(0);
  return out;
}

/** The recipe's published default passwords: anyone can open files protected by them. */
export const DEFAULT_PASSWORDS = Object.freeze(['password', 'server_ks_password', 'server_key_password']);

/** Overwrite every secret file's bytes with zeros (JS cannot wipe strings; bytes it can). */
export function wipe(bundle) {
  for (const f of bundle?.files ?? []) {
    if (f.bytes instanceof Uint8Array) f.bytes.fill(0);
  }
}
