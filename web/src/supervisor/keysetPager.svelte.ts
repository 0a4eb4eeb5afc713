// The rows of a report read a keyset page at a time ("Más" appends the next one): what the
// summary and agent-states reports shared as copies. A newer search wins over an older
// answer still on its way.

export interface KeysetPage<T> {
  items: T[];
  next_cursor?: string | null;
}

/** What a table of the rows reads (ReportTable.svelte). */
export interface PagedRows<T> {
  readonly rows: T[];
  readonly next: string | null;
  readonly loading: boolean;
  readonly loaded: boolean;
  readonly error: string | null;
  load(more?: boolean): Promise<void>;
}

export class KeysetPager<T, P extends KeysetPage<T> = KeysetPage<T>> implements PagedRows<T> {
  rows = $state.raw<T[]>([]);
  next = $state<string | null>(null);
  loading = $state(false);
  /** A first answer (or refusal) came: "no rows" may be said. */
  loaded = $state(false);
  error = $state<string | null>(null);
  #seq = 0;

  constructor(
    private readonly fetchPage: (cursor: string | null) => Promise<P>,
    private readonly failed: (e: unknown) => string,
    private readonly onpage?: (page: P) => void,
  ) {}

  /** The first page again (`more` false) or the one after the rows shown. */
  async load(more = false): Promise<void> {
    const my = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.fetchPage(more ? this.next : null);
      if (my !== this.#seq) return;
      this.rows = more ? [...this.rows, ...page.items] : page.items;
      this.next = page.next_cursor ?? null;
      this.onpage?.(page);
    } catch (e) {
      if (my === this.#seq) this.error = this.failed(e);
    } finally {
      if (my === this.#seq) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }
}
