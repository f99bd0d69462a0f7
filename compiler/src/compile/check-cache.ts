import { createHash } from "node:crypto";

/**
 * What `validate` remembers between runs, so an unchanged view is neither parsed nor bound again.
 * Keys are content hashes: a view's entry is reused only for the same rendered SQL, the same
 * function catalog and cpgc version (the salt), and the same schemas of every table it reads.
 * Only views that checked without any diagnostic are remembered.
 */
export interface CheckCacheEntry {
  /** Tables the query reads (its graph edges). */
  readonly deps: readonly string[];
  /** Hash of the schemas of `deps` when the view was bound. */
  readonly depsHash: string;
  /** The view's output columns: Arrow type strings. */
  readonly columns: readonly { readonly name: string; readonly type: string; readonly nullable: boolean }[];
}

export interface CheckCache {
  /** Whether this rendered query text parsed without diagnostics before. */
  parsedBefore(rendered: string): boolean;
  get(rendered: string): CheckCacheEntry | undefined;
  set(rendered: string, entry: CheckCacheEntry): void;
}

/** The persisted form: plain JSON, rewritten whole (only entries used by the last run are kept). */
export interface CheckCacheData {
  readonly salt: string;
  readonly entries: Readonly<Record<string, CheckCacheEntry>>;
}

export function textHash(...parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest("hex");
}

/** An in-memory cache over persisted data; `data()` gives what to persist after a run. */
export class MemoryCheckCache implements CheckCache {
  private readonly old: ReadonlyMap<string, CheckCacheEntry>;
  private readonly used = new Map<string, CheckCacheEntry>();
  private changed = false;

  constructor(
    private readonly salt: string,
    persisted?: CheckCacheData,
  ) {
    this.old = new Map(persisted && persisted.salt === salt ? Object.entries(persisted.entries) : []);
  }

  private key(rendered: string): string {
    return textHash(this.salt, rendered);
  }

  parsedBefore(rendered: string): boolean {
    return this.old.has(this.key(rendered)) || this.used.has(this.key(rendered));
  }

  get(rendered: string): CheckCacheEntry | undefined {
    const k = this.key(rendered);
    const e = this.used.get(k) ?? this.old.get(k);
    if (e) this.used.set(k, e);
    return e;
  }

  set(rendered: string, entry: CheckCacheEntry): void {
    this.used.set(this.key(rendered), entry);
    this.changed = true;
  }

  /** Whether persisting would change anything (an entry added, or unused ones dropped). */
  get dirty(): boolean {
    return this.changed || this.used.size !== this.old.size;
  }

  data(): CheckCacheData {
    return { salt: this.salt, entries: Object.fromEntries([...this.used].sort(([a], [b]) => (a < b ? -1 : 1))) };
  }
}
