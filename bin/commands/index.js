// The commands, in the order --help lists them: a new command is a file here and its name below.
const NAMES = ['server', 'client', 'ca', 'csr', 'sign', 'assemble', 'bulk', 'inspect', 'provision', 'revoke', 'expiry', 'renew', 'device-code', 'connect'];

/** name -> { name, usage, groups, extra?, fieldFlags?, run(args) } */
export const COMMANDS = Object.fromEntries(
  await Promise.all(NAMES.map(async (name) => [name, (await import(`./${name}.js`)).default])),
);
