/** Field-name spelling shared by the type-string printer, paths and conversion notes. */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` can be written bare (`[A-Za-z_][A-Za-z0-9_]*`). */
export function isPlainIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** `"name"` with embedded `"` doubled. */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The name bare when it is a plain identifier, else double-quoted. */
export function formatName(name: string): string {
  return isPlainIdentifier(name) ? name : quoteName(name);
}

/**
 * Paths inside a type, as used in conversion notes and errors: `span.bstart`, `tags{value}`,
 * `items[]` (list element), `attrs{key}`. The root type itself is the empty string.
 */
export function fieldPath(parent: string, name: string): string {
  return parent === "" ? formatName(name) : `${parent}.${formatName(name)}`;
}

export function elementPath(parent: string): string {
  return `${parent}[]`;
}

export function keyPath(parent: string): string {
  return `${parent}{key}`;
}

export function valuePath(parent: string): string {
  return `${parent}{value}`;
}
