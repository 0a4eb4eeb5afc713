// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { contentMismatch, extensionOf, fileMismatch } from '../sniff';

const bytes = (...parts: (number[] | string)[]): Uint8Array<ArrayBuffer> =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0], new Array(64).fill(0));
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR', new Array(64).fill(0));
const PDF = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n');
const MP4 = bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0], 'isommp42', new Array(64).fill(0));

function random(n: number): Uint8Array<ArrayBuffer> {
  // Deterministic noise that starts like no known signature.
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16;
  out[0] = 0x13;
  return out;
}

describe('sniff', () => {
  it('takes the extension from the name', () => {
    expect(extensionOf('Foto.JPG')).toBe('jpg');
    expect(extensionOf('informe.final.pdf')).toBe('pdf');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('sin-extension')).toBe('');
  });

  it('accepts a file whose content is what its name says', async () => {
    expect(await contentMismatch('foto.jpg', JPEG)).toBeNull();
    expect(await contentMismatch('foto.jpeg', JPEG)).toBeNull();
    expect(await contentMismatch('captura.png', PNG)).toBeNull();
    expect(await contentMismatch('factura.pdf', PDF)).toBeNull();
    expect(await contentMismatch('video.mp4', MP4)).toBeNull();
    expect(await contentMismatch('notas.txt', bytes('Hola, ¿cómo estás?\n'))).toBeNull();
    expect(await contentMismatch('datos.csv', bytes('id,nombre\n1,Ana\n'))).toBeNull();
  });

  it('refuses random bytes, or another type, under a name it is not', async () => {
    expect(await contentMismatch('foto.jpg', random(2048))).toBe('jpg');
    expect(await contentMismatch('foto.jpg', PNG)).toBe('jpg');
    expect(await contentMismatch('factura.pdf', JPEG)).toBe('pdf');
    expect(await contentMismatch('video.mp4', random(512))).toBe('mp4');
    expect(await contentMismatch('notas.txt', PDF)).toBe('txt');
    expect(await contentMismatch('vacío.png', new Uint8Array())).toBe('png');
  });

  it('leaves a name it does not check to the server', async () => {
    expect(await contentMismatch('clip.webm', random(256))).toBeNull();
    expect(await contentMismatch('sin-extension', random(256))).toBeNull();
  });

  it('reads only the start of a chosen file', async () => {
    const big = new File([JPEG, random(200_000)], 'foto.jpg', { type: 'image/jpeg' });
    expect(await fileMismatch(big)).toBeNull();
    expect(await fileMismatch(new File([random(300)], 'foto.jpg', { type: 'image/jpeg' }))).toBe('jpg');
  });
});
