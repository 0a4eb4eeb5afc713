// Files the agent attaches: what kind WhatsApp will see, its size limit, the preview. Pure.
// The server identifies the file by its content and is the judge; this only spares the agent
// an upload that is sure to be refused.

export type AttachKind = 'image' | 'audio' | 'video' | 'document';

export const MB = 1024 * 1024;

/** WhatsApp's limits per kind (the same as the server's). */
export const LIMITS: Record<AttachKind, number> = {
  image: 5 * MB,
  audio: 16 * MB,
  video: 16 * MB,
  document: 100 * MB,
};

/** What the file input offers: images, audio, video, PDF, Word, Excel, PowerPoint, txt, csv. */
export const ACCEPT = [
  'image/jpeg',
  'image/png',
  'audio/*',
  'video/mp4',
  'video/3gpp',
  'application/pdf',
  '.pdf',
  'application/msword',
  '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.docx',
  'application/vnd.ms-excel',
  '.xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.xlsx',
  'application/vnd.ms-powerpoint',
  '.ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.pptx',
  'text/plain',
  '.txt',
  'text/csv',
  '.csv',
].join(',');

const EXT_KIND: Record<string, AttachKind> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  mp3: 'audio',
  ogg: 'audio',
  opus: 'audio',
  aac: 'audio',
  amr: 'audio',
  m4a: 'audio',
  mp4: 'video',
  '3gp': 'video',
};

/** The kind by the browser's MIME type, else by the extension; anything else is a document. */
export function kindOf(file: { name: string; type: string }): AttachKind {
  const t = (file.type || '').toLowerCase();
  if (t.startsWith('image/')) return 'image';
  if (t.startsWith('audio/')) return 'audio';
  if (t.startsWith('video/')) return 'video';
  if (t) return 'document';
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  return EXT_KIND[ext] ?? 'document';
}

/** Images, videos and documents take a caption on WhatsApp; audio does not. */
export function takesCaption(kind: AttachKind): boolean {
  return kind !== 'audio';
}

/** Over WhatsApp's limit: the sizes for the message (in MB, as the server words it). */
export interface SizeProblem {
  kind: AttachKind;
  /** The file's size in MB, one decimal. */
  size: string;
  /** The limit in MB. */
  max: string;
}

export function sizeProblem(file: { name: string; type: string; size: number }): SizeProblem | null {
  const kind = kindOf(file);
  const limit = LIMITS[kind];
  if (file.size <= limit) return null;
  return { kind, size: (file.size / MB).toFixed(1), max: (limit / MB).toFixed(0) };
}

/** "834 B", "12.4 kB", "3.1 MB". */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / MB).toFixed(1)} MB`;
}
