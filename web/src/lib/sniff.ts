// Is a file what its name says? The attach dialog reads the first bytes of a file the agent
// chose and refuses, before any upload, one whose content is of another kind (random bytes
// named `.jpg` would show a broken preview and be sent). Only the types WhatsApp accepts are
// checked, by their magic bytes (file-type); any other name is left to the server, which
// identifies every file by its content and stays the judge.

import { fileTypeFromBuffer } from 'file-type';

/** Enough for the signatures file-type reads, an Office document's zip entries included. */
const SAMPLE_BYTES = 64 * 1024;

const MP4_FAMILY = ['mp4', 'm4v', 'm4a', 'm4b', 'm4p', 'mov', '3gp', '3g2', 'f4v'];
const OLE = ['cfb', 'doc', 'xls', 'ppt'];
/** Text has no signature: any detected binary type means it is not text. */
const TEXT: readonly string[] = [];

/** By the name's extension, what its content may be detected as (file-type's `ext`). */
const EXPECTED: Record<string, readonly string[]> = {
  jpg: ['jpg'],
  jpeg: ['jpg'],
  png: ['png'],
  mp4: MP4_FAMILY,
  '3gp': MP4_FAMILY,
  m4a: MP4_FAMILY,
  mp3: ['mp3'],
  ogg: ['ogg', 'opus', 'oga', 'ogv', 'ogx'],
  opus: ['ogg', 'opus', 'oga', 'ogx'],
  aac: ['aac'],
  amr: ['amr'],
  pdf: ['pdf'],
  doc: OLE,
  xls: OLE,
  ppt: OLE,
  // A zip whose entries file-type did not reach in the sample is still a zip.
  docx: ['docx', 'zip'],
  xlsx: ['xlsx', 'zip'],
  pptx: ['pptx', 'zip'],
  txt: TEXT,
  csv: TEXT,
};

/** The name's extension, lower case, or '' (no dot). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * Whether `bytes` (the start of a file named `name`) are of the kind the name says: null when
 * they are (or the name is not one checked here), else the extension the name claims.
 */
export async function contentMismatch(name: string, bytes: Uint8Array): Promise<string | null> {
  const ext = extensionOf(name);
  const expected = EXPECTED[ext];
  if (!expected) return null;
  const found = await fileTypeFromBuffer(bytes);
  if (expected === TEXT) return found ? ext : null;
  return found && expected.includes(found.ext) ? null : ext;
}

/** `contentMismatch` for a chosen file, reading only its first bytes. */
export async function fileMismatch(file: Blob & { name: string }): Promise<string | null> {
  const head = new Uint8Array(await file.slice(0, SAMPLE_BYTES).arrayBuffer());
  return contentMismatch(file.name, head);
}
