// The transient line at the top of the agent panel: an error stays 8 s, information 5 s, and
// a new one replaces the one shown.

export type NoticeKind = 'error' | 'info';

const SHOWN_MS: Record<NoticeKind, number> = { error: 8000, info: 5000 };

export class NoticeStore {
  text = $state<string | null>(null);
  kind = $state<NoticeKind>('error');
  private timer: ReturnType<typeof setTimeout> | null = null;

  show(text: string, kind: NoticeKind = 'error'): void {
    this.text = text;
    this.kind = kind;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.text = null), SHOWN_MS[kind]);
  }

  dismiss(): void {
    this.text = null;
  }
}
