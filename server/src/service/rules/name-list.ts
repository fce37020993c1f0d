/** How findings list names: the first few, joined with commas, then a word for the rest. */

/** The first `max` names (each through `show`), then ", …" when there are more. */
export function firstNames<T>(names: readonly T[], max: number, show: (n: T) => string = String): string {
  return names.slice(0, max).map(show).join(', ') + (names.length > max ? ', …' : '');
}

/** The first `max` names (each through `show`), then " and N more" when there are more. */
export function namesAndMore<T>(names: readonly T[], max: number, show: (n: T) => string = String): string {
  return names.slice(0, max).map(show).join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');
}
