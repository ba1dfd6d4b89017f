#!/usr/bin/env node
// tempus-certgen: the recipe's files from the command line, made by the same wasm module as the
// page. A small dispatcher: each command is a file of bin/commands/ ({ name, usage, groups,
// run }) and takes its own flags only. Exit codes: 0 done, 2 bad input or usage (nothing
// written), 1 anything else.
import { COMMANDS } from './commands/index.js';
import { UsageError, parseArgs, resolveSecretFiles, describeError } from './cli/args.js';
import { GROUPS, flagsOf } from './cli/flags.js';
import { help, commandHelp } from './cli/help.js';
import { printable } from '../js/describe.js';

const ALL_FLAGS = flagsOf(Object.keys(GROUPS));
// Failures that are not the person's input (exit 1).
const FAILURES = ['internal', 'randomness_unavailable', 'exists', 'bad_login', 'unauthorized', 'unknown_device',
  'already_registered', 'unreachable', 'id_mismatch', 'http_error', 'redirected', 'cancelled', 'timeout', 'too_large'];

/** The command's flags: its groups' and its extra ones. */
function flagsFor(command) {
  const flags = flagsOf(command.groups);
  for (const f of command.extra ?? []) flags[f] = ALL_FLAGS[f];
  return flags;
}

let current = null; // the command running, for its own spelling of fields in messages
let spelled = {}; // fields given by a flag other than their usual one (a secret's file form)

async function main(argv) {
  const all = parseArgs(argv, ALL_FLAGS, ALL_FLAGS);
  const name = all.positional[0];
  const command = Object.hasOwn(COMMANDS, name ?? '') ? COMMANDS[name] : null;
  if (!command) {
    if (all.help || !name) {
      console.log(help(Object.values(COMMANDS)));
      return all.help ? 0 : 2;
    }
    throw new UsageError(`unknown command "${name}": use ${Object.keys(COMMANDS).join(', ').replace(/, (\w+)$/, ' or $1')} (see --help)`);
  }
  current = command;
  const args = parseArgs(argv, flagsFor(command), ALL_FLAGS, command.name);
  if (args.help) {
    console.log(commandHelp(command));
    return 0;
  }
  resolveSecretFiles(args);
  spelled = args.spelled;
  return (await command.run(args)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    const input = err instanceof UsageError || (err.code && !FAILURES.includes(err.code) && err.field !== undefined);
    process.stderr.write(`tempus-certgen: ${printable(describeError(err, { ...current?.fieldFlags, ...spelled }))}\n`);
    process.exitCode = err.code === 'cancelled' ? 130 : input ? 2 : 1;
  },
);
