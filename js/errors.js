// The one shape of every error the package throws: an Error with a stable `code`, the option
// or field it is about (`field`, else null) and any details; cancellations are AbortErrors.
export function codedError(message, code, extra = {}) {
  const e = Object.assign(new Error(message), { code, field: null }, extra);
  if (code === 'aborted') e.name = 'AbortError';
  return e;
}
