// The agent's own status (Disponible, En pausa with its reason, Desconectado): changed here,
// and kept as the server last said it. The user record itself is the session's.

import type { Api } from './api';
import type { SessionStore } from './session.svelte';
import { recallPauseReason, rememberPauseReason } from './tabMemory';
import type { AgentStatus, User } from './types';

export class PresenceStore {
  /** Why I am paused (what I chose; the server's `pause_reason` wins when it sends one). */
  pauseReason = $state<string | null>(null);
  /** GET /api/pause-reasons, as last asked (supervisors edit the list: asked at each pause). */
  pauseReasons = $state<string[] | null>(null);

  constructor(
    private readonly api: Api,
    private readonly session: SessionStore,
    private readonly failed: (e: unknown) => void,
  ) {}

  /** The pause reason to show next to the status, or null when not paused. */
  get shownPauseReason(): string | null {
    const me = this.session.me;
    if (me?.status !== 'paused') return null;
    return me.pause_reason || this.pauseReason || null;
  }

  /** Signed in as `user`: the reason chosen before a reload of this tab still stands. */
  enter(user: User): void {
    this.pauseReason = user.status === 'paused' ? recallPauseReason() : null;
  }

  leave(): void {
    this.pauseReason = null;
    rememberPauseReason(null);
  }

  /** The server says what my user is now (hello, or a status change from another tab). */
  applyUser(user: Partial<User> & { id: number }): void {
    const me = this.session.me;
    if (!me || user.id !== me.id) return;
    this.session.me = { ...me, ...user };
    // A reason the server does not say (an older hello) leaves the one chosen here standing.
    if (user.status !== undefined) this.remember(user.status, user.pause_reason || this.pauseReason);
  }

  /** Change my status (`reason` is required by the server for `paused`). True if done. */
  async setStatus(status: AgentStatus, reason?: string): Promise<boolean> {
    try {
      const user = await this.api.setStatus(status, reason);
      this.session.me = user;
      this.remember(status, user.pause_reason || reason || null);
      return true;
    } catch (e) {
      this.failed(e);
      return false;
    }
  }

  /** The reasons an agent may pause for, asked each time (a supervisor may have changed
   * them). Throws if they cannot be loaded. */
  async loadPauseReasons(): Promise<string[]> {
    const list = await this.api.pauseReasons();
    this.pauseReasons = Array.isArray(list) ? list.filter((x) => typeof x === 'string') : [];
    return this.pauseReasons;
  }

  private remember(status: AgentStatus, reason: string | null): void {
    this.pauseReason = status === 'paused' ? reason : null;
    rememberPauseReason(this.pauseReason);
  }
}
