// The 30-bundle version of `npm run soak`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { soak } from './soak.mjs';

test('30 RSA-2048 client bundles: every key passes openssl pkey -check, every certificate verifies, no modulus repeats', async () => {
  const r = await soak(30);
  assert.deepEqual(r.failures, []);
  assert.equal(r.count, 30);
});
