/** Results shared by the converters to and from other systems' type spellings. */

/** Something a conversion changed on the way (a widening, a dropped detail). Not an error. */
export interface ConversionNote {
  /** Where in the type (`span.bstart`, `tags{value}`, `items[]`; "" for the root). */
  readonly path: string;
  readonly message: string;
}

/** A type the target system cannot represent, or input that is not a valid type. */
export interface ConversionError {
  readonly ok: false;
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** Internal: raised inside a converter and turned into a `ConversionError` at its entry point. */
export class ConversionFailure extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  toResult(): ConversionError {
    return this.hint === undefined
      ? { ok: false, path: this.path, message: this.message }
      : { ok: false, path: this.path, message: this.message, hint: this.hint };
  }
}

/** Runs `body`, converting a `ConversionFailure` into its error result. */
export function catchConversion<T>(body: () => T): T | ConversionError {
  try {
    return body();
  } catch (e) {
    if (e instanceof ConversionFailure) return e.toResult();
    throw e;
  }
}
