/**
 * How messages and hovers name a place in the config: "line 12" in the file being looked at,
 * "proxy.conf:12" in another one. One wording for every system, rules and hovers alike.
 */

/**
 * "line 12" when `path` is the file `herePath` (or no file is given), else "<file name>:12".
 * `name` writes the file name: rules clip it (words.ts: a message must not carry a whole path).
 */
export function whereLine(
  path: string,
  line: number,
  herePath: string | undefined,
  name: (fileName: string) => string = (n) => n,
): string {
  if (herePath === undefined || path === herePath) return `line ${line}`;
  return `${name(path.slice(path.lastIndexOf('/') + 1))}:${line}`;
}
