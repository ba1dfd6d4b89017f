// Asking for a secret at the terminal.

/** Ask at the terminal without echo (raw mode: nothing typed is shown or kept in a history). */
export function promptSecret(question) {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    // Raw mode before the question: whatever is typed once it shows is never echoed.
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    process.stderr.write(question);
    let value = '';
    const finish = (err) => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(Object.assign(new Error('cancelled at the password prompt'), { code: 'cancelled' }));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
      return undefined;
    };
    input.on('data', onData);
  });
}
