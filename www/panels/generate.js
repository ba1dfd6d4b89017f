// Generate: the role, the form's checks (errors beside their fields), the generation in the
// package's workers with progress and Cancel, and the client's server certificate.
import { generateCredentials, validateOptions, createRequest, recipeDefaults } from '../../js/browser-calls.js';
import { $, nextTask, clearErrors, showError, fileInput, certificateInto } from '../dom.js';
import { form, role, defaultsRole, defaultCn, options, requestOptions, keyLabel, ROLE_FIELDS } from '../form.js';
import { state, on, emit, setResult, clearResult } from '../state.js';

/** Which parts of the form the role uses. */
function showRole() {
  const r = role();
  const client = r === 'client';
  $('client-only').hidden = !client;
  $('san-field').hidden = r !== 'server' && r !== 'csr';
  $('useServer').hidden = !(client && state.serverCertificatePem);
  $('useCa').hidden = !state.generatedCa;
  // A request has no keystore (only its key, under the key password), and no CA signs it here.
  for (const id of ['storePassword', 'alias', 'days']) $(id).closest('.field').hidden = r === 'csr';
  $('legacyPkcs12').closest('.row').hidden = r === 'csr' || r === 'ca';
  $('generateButton').textContent = r === 'csr' ? 'Generate key and request' : 'Generate';
}

function setBusy(busy) {
  $('generateButton').disabled = busy;
  $('cancel').hidden = !busy;
  $('status').classList.toggle('busy', busy);
}

/** What the generated bundle makes available to the other parts (the server's certificate, the CA). */
function remember(bundle, opts) {
  if (bundle.role === 'server') {
    state.serverCertificatePem = bundle.certificatePem;
    state.serverAlias = bundle.alias;
  }
  if (bundle.role === 'ca') {
    const key = bundle.files.find((f) => f.name.endsWith('.key.pem'));
    state.generatedCa = { certificatePem: bundle.certificatePem, keyPem: new TextDecoder().decode(key.bytes), password: opts.keyPassword };
  }
}

async function generate(csr, opts) {
  if (csr) {
    const made = await createRequest(opts);
    setResult({ ...made, role: 'csr' }, { keyPassword: opts.keyPassword });
    return made;
  }
  const bundle = await generateCredentials(opts, {
    signal: state.running.signal,
    onProgress: ({ phase, elapsedMs }) => {
      if (phase === 'generating') $('status').textContent = `Generating ${keyLabel(opts)}… ${(elapsedMs / 1000).toFixed(1)} s`;
    },
  });
  remember(bundle, opts);
  setResult(bundle, { storePassword: opts.storePassword, keyPassword: opts.keyPassword });
  return bundle;
}

async function submit(e) {
  e.preventDefault();
  if (state.running) return;
  // Taken before the first await: a second submit while the form is checked must not start a
  // second generation, and the last run's "Done" must not stand for this one.
  state.running = new AbortController();
  clearErrors();
  $('status').textContent = '';
  const csr = role() === 'csr';
  const opts = csr ? requestOptions() : options();
  try {
    // The CA (whose key takes PBKDF2 rounds to open) is checked in the worker, not here.
    const { issuer: _ca, ...rest } = opts;
    await validateOptions(csr ? { ...rest, role: 'client' } : rest);
  } catch (err) {
    state.running = null;
    showError(err);
    return;
  }
  clearResult();
  setBusy(true);
  $('status').textContent = `Generating ${keyLabel(opts)}…`;
  try {
    // The click's task ends here: the new status is drawn in its own frame, and starting the
    // workers (their creation is main-thread work too) is a task of its own.
    await nextTask();
    const made = await generate(csr, opts);
    $('status').textContent = `Done: ${made.files.length} files.`;
  } catch (err) {
    if (err.code === 'aborted') $('status').textContent = 'Cancelled.';
    else {
      $('status').textContent = '';
      showError(err);
    }
  } finally {
    state.running = null;
    setBusy(false);
    showRole();
  }
}

export function mount() {
  let lastRole = role();
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'role') return;
    // Switch alias, prefix and passwords to the new role's defaults unless the user changed them.
    const before = recipeDefaults(defaultsRole(lastRole));
    const after = recipeDefaults(defaultsRole(role()));
    for (const f of ROLE_FIELDS) {
      if ($(f).value === '' || $(f).value === String(before[f])) $(f).value = String(after[f]);
    }
    // The CN too, while it is the last role's default (a device CA has a name of its own).
    if ($('cn').value === defaultCn(lastRole)) $('cn').value = defaultCn(role());
    lastRole = role();
    clearErrors();
    emit('fields');
    showRole();
  });
  $('keyType').addEventListener('change', () => { $('keySize').disabled = $('keyType').value === 'ec-p256'; });
  form.addEventListener('submit', submit);
  $('cancel').addEventListener('click', () => state.running?.abort());
  // Server certificate: paste, drop, choose a file, or take the one generated in this visit.
  fileInput('serverCertificateFile', 'server-drop', (file) => certificateInto('serverCertificate', file));
  $('useServer').addEventListener('click', () => {
    $('serverCertificate').value = state.serverCertificatePem;
    // The client's trusted entry takes the server's alias, as in the recipe.
    if (!$('serverAlias').value.trim()) $('serverAlias').value = state.serverAlias;
  });
  on('wiped', showRole);
  showRole();
}
