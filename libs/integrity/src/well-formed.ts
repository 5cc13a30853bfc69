/**
 * Whether a string is well-formed UTF-16 (no lone surrogates), i.e. has a UTF-8 encoding.
 * String.prototype.isWellFormed exists on Node 20 but not in the ES2023 lib this project compiles against.
 */
export function isWellFormed(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}
