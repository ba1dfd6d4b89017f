// Passwords: a warning beside a field while it holds one of the recipe's published defaults,
// "Use random passwords" (shown once, with copy buttons), and "Show passwords".
import { DEFAULT_PASSWORDS, randomPassword } from '../../js/browser-calls.js';
import { $ } from '../dom.js';
import { on } from '../state.js';

const PASSWORD_FIELDS = ['storePassword', 'keyPassword'];

function hideRandomPasswords() {
  $('random-passwords').hidden = true;
  $('randomStorePassword').textContent = '';
  $('randomKeyPassword').textContent = '';
}

function passwordWarnings() {
  for (const f of PASSWORD_FIELDS) {
    $(`${f}-warning`).textContent = DEFAULT_PASSWORDS.includes($(f).value)
      ? 'This is the recipe\'s published default password: anyone can open the files with it. Use random passwords, or your own.'
      : '';
  }
  // The random passwords' box stays only while the fields still hold them.
  if ($('storePassword').value !== $('randomStorePassword').textContent || $('keyPassword').value !== $('randomKeyPassword').textContent) {
    hideRandomPasswords();
  }
}

export function mount() {
  for (const f of PASSWORD_FIELDS) $(f).addEventListener('input', passwordWarnings);
  on('fields', passwordWarnings);
  on('wiped', hideRandomPasswords);
  $('randomPasswords').addEventListener('click', () => {
    const store = randomPassword();
    const key = randomPassword();
    $('storePassword').value = store;
    $('keyPassword').value = key;
    $('randomStorePassword').textContent = store;
    $('randomKeyPassword').textContent = key;
    $('random-passwords').hidden = false;
    passwordWarnings();
    for (const f of PASSWORD_FIELDS) $(`${f}-error`).textContent = '';
  });
  for (const button of document.querySelectorAll('button.copy')) {
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText($(button.dataset.copy).textContent);
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Select and copy it by hand';
      }
    });
  }
  $('showPasswords').addEventListener('change', (e) => {
    for (const f of PASSWORD_FIELDS) $(f).type = e.target.checked ? 'text' : 'password';
  });
}
