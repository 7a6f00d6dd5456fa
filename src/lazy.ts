// Dependencies loaded on first use (`await import()`), so a command loads only what it needs.

/**
 * The exports of a CommonJS package loaded with import(): Node offers them as named exports and as `default`, the
 * bundle (esbuild, dist/chunks) only as `default`.
 */
export function commonJs<T extends object>(ns: T): T {
  return (ns as { default?: T }).default ?? ns;
}
