import { describe, expect, it } from 'vitest';
import { escapeHtml, isSafeHttpsUrl, plainText, safeFilenamePart, singleLine } from '../../lambdas/notices/escape';
import { addDays, formatDate, formatIban, formatRate, formatSiren, parisDate } from '../../lambdas/notices/format';
import { wrap } from '../../lambdas/notices/render-text';

describe('format', () => {
  it('formats dates per language', () => {
    expect(formatDate('2026-04-03', 'fr')).toBe('3 avril 2026');
    expect(formatDate('2026-04-03', 'en')).toBe('3 April 2026');
    expect(formatDate('2026-08-01', 'fr')).toBe('1er août 2026');
    expect(formatDate('2026-12-01', 'en')).toBe('1 December 2026');
    expect(() => formatDate('2026-02-30', 'fr')).toThrow(RangeError);
    expect(() => formatDate('03/04/2026', 'fr')).toThrow(RangeError);
  });

  it('dates letters in Paris time', () => {
    expect(parisDate('2026-07-09T22:30:00.000Z')).toBe('2026-07-10'); // CEST, UTC+2
    expect(parisDate('2026-01-09T22:30:00.000Z')).toBe('2026-01-09'); // CET, UTC+1
    expect(parisDate('2026-01-09T23:30:00.000Z')).toBe('2026-01-10');
    expect(() => parisDate('not a date')).toThrow(RangeError);
  });

  it('formats rates, IBANs, SIRENs', () => {
    expect(formatRate('12.15', 'fr')).toBe('12,15\u00a0%');
    expect(formatRate('12.15', 'en')).toBe('12.15%');
    expect(formatIban('fr7630006000011234567890189')).toBe('FR76 3000 6000 0112 3456 7890 189');
    expect(formatIban('FR76 3000 6000 0112 3456 7890 189')).toBe('FR76 3000 6000 0112 3456 7890 189');
    expect(formatSiren('832145676')).toBe('832 145 676');
    expect(addDays('2026-07-10', 8)).toBe('2026-07-18');
    expect(addDays('2026-12-28', 8)).toBe('2027-01-05');
  });
});

describe('escape', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('reduces header text to one line', () => {
    expect(singleLine('A\r\nBcc: x@y\u2028Z\u0000\t end  ')).toBe('A Bcc: x@y Z end');
    expect(singleLine('\u0085next line')).toBe('next line');
    expect(plainText('a\r\nb\rc\u0000d')).toBe('a\nb\nc d');
  });

  it('makes safe file names', () => {
    expect(safeFilenamePart('F-2025/01 "x"\r\n.pdf')).toBe('F-2025-01-x-.pdf');
    expect(safeFilenamePart('../../etc/passwd')).toBe('etc-passwd');
    expect(safeFilenamePart('Échéance été')).toBe('Echeance-ete');
    expect(safeFilenamePart('\r\n')).toBe('document');
  });

  it('accepts only https links without credentials', () => {
    expect(isSafeHttpsUrl('https://pay.example/f/1?a=b')).toBe(true);
    expect(isSafeHttpsUrl('http://pay.example/')).toBe(false);
    expect(isSafeHttpsUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeHttpsUrl('https://user:pw@pay.example/')).toBe(false);
    expect(isSafeHttpsUrl('https://pay.example/\r\nx')).toBe(false);
    expect(isSafeHttpsUrl(undefined)).toBe(false);
  });
});

describe('plain-text wrapping', () => {
  it('breaks on ordinary spaces only, never inside an amount', () => {
    const amount = '1\u202f250,00\u00a0€';
    const lines = wrap(`${'mot '.repeat(17)}${amount} fin`, 76);
    expect(lines.every((l) => l.length <= 76)).toBe(true);
    expect(lines.some((l) => l.includes(amount))).toBe(true);
  });

  it('keeps an overlong word whole on its own line', () => {
    const url = `https://pay.example/${'x'.repeat(100)}`;
    expect(wrap(`voir ${url}`, 76)).toEqual(['voir', url]);
  });
});
