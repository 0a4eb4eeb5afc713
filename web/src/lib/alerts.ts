// Sound and desktop notification for a new assignment. Everything here is guarded:
// no audio device, no Notification API, denied permission or a blocked autoplay policy
// must never break the panel.

let ctx: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (ctx) return ctx;
  try {
    const w = globalThis as unknown as {
      AudioContext?: typeof AudioContext;
      webkitAudioContext?: typeof AudioContext;
    };
    const Ctor = w.AudioContext ?? w.webkitAudioContext;
    if (!Ctor) return null;
    ctx = new Ctor();
  } catch {
    ctx = null;
  }
  return ctx;
}

/**
 * Browsers only let audio start after a user gesture: create and resume the context on the
 * first click or key press so later beeps (triggered by the socket) can sound.
 */
export function unlockAudioOnFirstGesture(): void {
  if (typeof window === 'undefined') return;
  const unlock = () => {
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
    try {
      void audioContext()?.resume().catch(() => {});
    } catch {
      /* ignore */
    }
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
}

/** Two short tones. */
export function beep(): void {
  try {
    const ac = audioContext();
    if (!ac) return;
    if (ac.state === 'suspended') void ac.resume().catch(() => {});
    const t0 = ac.currentTime + 0.01;
    for (const [i, freq] of [880, 1175].entries()) {
      const start = t0 + i * 0.16;
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.14);
      osc.connect(gain).connect(ac.destination);
      osc.start(start);
      osc.stop(start + 0.15);
    }
  } catch {
    /* no sound, no problem */
  }
}

function notificationApi(): typeof Notification | null {
  const N = (globalThis as { Notification?: typeof Notification }).Notification;
  return typeof N === 'function' ? N : null;
}

export type AlertPermission = NotificationPermission | 'unsupported';

/** Whether desktop notifications may be shown, may be asked for, or cannot be. */
export function notificationPermission(): AlertPermission {
  try {
    return notificationApi()?.permission ?? 'unsupported';
  } catch {
    return 'unsupported';
  }
}

/**
 * Ask for permission to notify (call from a user gesture: the login submit, or the panel's
 * own button for an agent whose session outlived the question). Resolves to the answer.
 */
export async function requestNotificationPermission(): Promise<AlertPermission> {
  try {
    const N = notificationApi();
    if (!N) return 'unsupported';
    if (N.permission !== 'default') return N.permission;
    return await N.requestPermission();
  } catch {
    return notificationPermission();
  }
}

/** A desktop notification, only if permission was already granted. */
export function notify(title: string, body: string, tag?: string): void {
  try {
    const N = notificationApi();
    if (!N || N.permission !== 'granted') return;
    const n = new N(title, { body, tag, silent: true });
    n.onclick = () => {
      try {
        window.focus();
        n.close();
      } catch {
        /* ignore */
      }
    };
  } catch {
    /* e.g. Chrome on Android needs a service worker: ignore */
  }
}
