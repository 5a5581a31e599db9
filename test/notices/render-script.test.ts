import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('npm run notices', () => {
  const out = mkdtempSync(join(tmpdir(), 'amiable-notices-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes every kind in both languages for the three sample dossiers, with PDFs and .eml', () => {
    const stdout = execFileSync(join('node_modules', '.bin', 'tsx'), ['scripts/render-notices.ts', out], { encoding: 'utf8' });
    // 177 letters, PDFs and .eml files, plus the litigation dossier PDF of each sample dossier.
    expect(stdout).toMatch(/180 files written/);
    for (const dossier of ['b2b', 'b2c', 'agency']) {
      for (const lang of ['fr', 'en']) {
        for (const ext of ['txt', 'html', 'eml']) {
          expect(existsSync(join(out, dossier, `first_reminder.${lang}.${ext}`))).toBe(true);
          expect(existsSync(join(out, dossier, `formal_notice.${lang}.${ext}`))).toBe(true);
        }
      }
      expect(existsSync(join(out, dossier, 'litigation_handoff.fr.eml'))).toBe(true);
      expect(existsSync(join(out, dossier, 'litigation_handoff.en.eml'))).toBe(false);
    }
    const pdf = readFileSync(join(out, 'b2b', 'fr.mise-en-demeure-F-2025-0142.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The hand-off carries the litigation dossier.
    expect(readFileSync(join(out, 'b2b', 'fr.dossier-contentieux-F-2025-0142.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
