// Progress of long work on stderr: one line rewritten at a terminal (10 a second at most), a
// line every 2 s otherwise (a log file stays readable).

export function bulkProgress(stream) {
  const tty = stream.isTTY;
  let lastLine = 0;
  return {
    update: ({ done, total, failed, elapsedMs, remainingMs }) => {
      const now = Date.now();
      if (done < total && now - lastLine < (tty ? 100 : 2000)) return;
      lastLine = now;
      const rate = elapsedMs ? (done / (elapsedMs / 1000)).toFixed(1) : '0';
      const left = remainingMs === null ? '' : `, ~${Math.ceil(remainingMs / 1000)} s left`;
      stream.write(`${tty ? '\r' : ''}${done}/${total} made${failed ? ` (${failed} failed)` : ''}, ${rate}/s${left}${tty ? '   ' : '\n'}`);
    },
    end: () => { if (tty) stream.write('\n'); },
  };
}
