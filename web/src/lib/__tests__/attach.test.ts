import { describe, expect, it } from 'vitest';
import { ACCEPT, MB, formatSize, kindOf, sizeProblem, takesCaption } from '../attach';
import { translate } from '../i18n';

const f = (name: string, type: string, size: number) => ({ name, type, size });

describe('attachments', () => {
  it('tells the kind by MIME type, else by extension', () => {
    expect(kindOf(f('a.jpg', 'image/jpeg', 1))).toBe('image');
    expect(kindOf(f('a.ogg', 'audio/ogg', 1))).toBe('audio');
    expect(kindOf(f('a.mp4', 'video/mp4', 1))).toBe('video');
    expect(kindOf(f('a.pdf', 'application/pdf', 1))).toBe('document');
    expect(kindOf(f('a.csv', 'text/csv', 1))).toBe('document');
    expect(kindOf(f('a.opus', '', 1))).toBe('audio');
    expect(kindOf(f('a.xlsx', '', 1))).toBe('document');
    expect(takesCaption('audio')).toBe(false);
    expect(takesCaption('image')).toBe(true);
    expect(takesCaption('document')).toBe(true);
  });

  it('checks WhatsApp sizes: image 5 MB, audio and video 16 MB, document 100 MB', () => {
    expect(sizeProblem(f('a.png', 'image/png', 5 * MB))).toBeNull();
    expect(sizeProblem(f('a.png', 'image/png', 5 * MB + 1))).toEqual({ kind: 'image', size: '5.0', max: '5' });
    expect(sizeProblem(f('a.mp3', 'audio/mpeg', 16 * MB))).toBeNull();
    expect(sizeProblem(f('a.mp3', 'audio/mpeg', 17 * MB))).toEqual({ kind: 'audio', size: '17.0', max: '16' });
    expect(sizeProblem(f('a.mp4', 'video/mp4', 20.4 * MB))).toEqual({ kind: 'video', size: '20.4', max: '16' });
    expect(sizeProblem(f('a.pdf', 'application/pdf', 100 * MB))).toBeNull();
    expect(sizeProblem(f('a.pdf', 'application/pdf', 120 * MB))).toEqual({ kind: 'document', size: '120.0', max: '100' });
  });

  it('words the size refusal like the server', () => {
    const p = sizeProblem(f('foto.jpg', 'image/jpeg', 6.2 * MB))!;
    expect(translate('es', `attach.tooBig.${p.kind}`, { size: p.size, max: p.max })).toBe(
      'El archivo pesa 6.2 MB; WhatsApp admite hasta 5 MB para imágenes.',
    );
    expect(translate('en', `attach.tooBig.${p.kind}`, { size: p.size, max: p.max })).toBe(
      'The file is 6.2 MB; WhatsApp accepts up to 5 MB for images.',
    );
    const d = sizeProblem(f('x.docx', '', 101 * MB))!;
    expect(translate('es', `attach.tooBig.${d.kind}`, { size: d.size, max: d.max })).toBe(
      'El archivo pesa 101.0 MB; WhatsApp admite hasta 100 MB para documentos.',
    );
  });

  it('offers images, audio, video, pdf, Word, Excel, PowerPoint, txt and csv', () => {
    for (const t of ['image/jpeg', 'image/png', 'audio/*', 'video/mp4', '.pdf', '.doc', '.docx', '.xls', '.xlsx', '.ppt', '.pptx', '.txt', '.csv']) {
      expect(ACCEPT.split(',')).toContain(t);
    }
  });

  it('formats sizes', () => {
    expect(formatSize(834)).toBe('834 B');
    expect(formatSize(12.4 * 1024)).toBe('12.4 kB');
    expect(formatSize(3.1 * MB)).toBe('3.1 MB');
  });
});
