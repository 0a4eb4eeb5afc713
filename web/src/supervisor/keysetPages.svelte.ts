// A report read a keyset page at a time, with the shared filters. The server only goes
// forward (`next_cursor`), so the cursor of every page up to the one shown is kept and
// "previous" asks again with the one before. Paging and the export use the filters of the
// rows shown, not what is half-typed in the bar; the total comes with the first page.
import { emptyReportFilters, type ReportFilterState } from './requests';

export interface KeysetPage {
  next_cursor: string | null;
  total?: number | null;
}

export type PageFetch<P> = (filters: ReportFilterState, cursor: string | null) => Promise<P>;

export class KeysetPages<P extends KeysetPage> {
  page = $state.raw<P | null>(null);
  total = $state<number | null>(null);
  shown = $state.raw<ReportFilterState>(emptyReportFilters());
  loading = $state(false);
  error = $state<unknown>(null);
  /** The cursor each page up to the one shown was asked with (the first's is null). */
  private cursors = $state.raw<(string | null)[]>([]);
  private seq = 0;

  constructor(private readonly fetch: PageFetch<P>) {}

  /** 1 for the first page. */
  get number(): number {
    return this.cursors.length;
  }

  get hasPrev(): boolean {
    return this.cursors.length > 1;
  }

  get hasNext(): boolean {
    return !!this.page?.next_cursor;
  }

  search(filters: ReportFilterState): Promise<void> {
    return this.load({ ...filters }, [null]);
  }

  next(): Promise<void> {
    const cursor = this.page?.next_cursor;
    return cursor ? this.load(this.shown, [...this.cursors, cursor]) : Promise.resolve();
  }

  prev(): Promise<void> {
    return this.hasPrev ? this.load(this.shown, this.cursors.slice(0, -1)) : Promise.resolve();
  }

  private async load(filters: ReportFilterState, cursors: (string | null)[]): Promise<void> {
    const my = ++this.seq;
    const cursor = cursors[cursors.length - 1] ?? null;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.fetch(filters, cursor);
      if (my !== this.seq) return;
      this.page = page;
      this.shown = filters;
      this.cursors = cursors;
      if (cursor === null) this.total = page.total ?? null;
    } catch (e) {
      if (my === this.seq) this.error = e;
    } finally {
      if (my === this.seq) this.loading = false;
    }
  }
}
