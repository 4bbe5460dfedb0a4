// One idempotency key per booking attempt: every submit of the same filled-in form (a
// double click, a retry after a network error, the same values typed again after a
// reload) reuses the key, so the server books once and answers the first result. The
// key changes once a booking succeeded or the values changed.

export function newKey(prefix = "console"): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}:${random}`;
}

interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

interface Stored {
  key: string;
  fingerprint: string | null;
}

export class FormKey {
  private state: Stored;

  /** `storageName` keeps the pending key across a reload (sessionStorage by default). */
  constructor(
    private readonly prefix = "console",
    private readonly storageName: string | null = null,
    private readonly storage: KeyStorage | null = typeof sessionStorage !== "undefined" ? sessionStorage : null,
  ) {
    const saved = storageName && this.storage ? this.storage.getItem(storageName) : null;
    this.state = saved ? (JSON.parse(saved) as Stored) : { key: newKey(prefix), fingerprint: null };
  }

  /** The key for submitting `values`; the same values keep the same key. */
  for(values: unknown): string {
    const fingerprint = JSON.stringify(values);
    if (this.state.fingerprint !== null && this.state.fingerprint !== fingerprint) {
      this.state = { key: newKey(this.prefix), fingerprint };
    }
    this.state.fingerprint = fingerprint;
    this.save();
    return this.state.key;
  }

  /** After a successful booking the next one is a new booking. */
  done(): void {
    this.state = { key: newKey(this.prefix), fingerprint: null };
    if (this.storageName && this.storage) this.storage.removeItem(this.storageName);
  }

  private save() {
    if (this.storageName && this.storage) this.storage.setItem(this.storageName, JSON.stringify(this.state));
  }
}
