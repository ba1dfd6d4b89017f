// Which Device Credentials dialog is open: shared by fillDeviceCredentials and the embed script's
// first half, which watches for the dialog without loading anything else.

/** Which dialog is open under `root`: { framework, typeSelect } or null. */
export function findCredentialsDialog(root = globalThis.document) {
  if (!root?.querySelector) return null;
  const ajs = root.querySelector('md-select[ng-model="vm.deviceCredentials.credentialsType"]');
  if (ajs) return { framework: 'angularjs', typeSelect: ajs };
  const ng = root.querySelector('tb-toggle-select[formcontrolname="credentialsType"]');
  if (ng) return { framework: 'angular', typeSelect: ng };
  return null;
}

