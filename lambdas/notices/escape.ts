/**
 * Neutralising user-supplied text (names, addresses, invoice numbers, dispute reasons) for the
 * three places it ends up: HTML bodies, single-line headers (subjects) and file names.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * C0/C1 controls, DEL, and the Unicode line/paragraph separators: anything that could end a header
 * line or hide text. Tab is included (headers and subjects never need it).
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** One line of plain text: control characters become spaces, runs of spaces collapse, trimmed. */
export function singleLine(text: string): string {
  return text.replace(CONTROLS, ' ').replace(/[ ]{2,}/g, ' ').trim();
}

/** True when the text holds a character that `singleLine` would remove. */
export function hasControlChars(text: string): boolean {
  CONTROLS.lastIndex = 0;
  const found = CONTROLS.test(text);
  CONTROLS.lastIndex = 0;
  return found;
}

/**
 * Multi-line plain text (a dispute reason, an address line): keeps line breaks as "\n", drops every
 * other control character.
 */
export function plainText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** A file name made of [A-Za-z0-9._-] only (no path separators, no quotes, no header breaks). */
export function safeFilenamePart(text: string): string {
  const ascii = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const cleaned = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .replace(/-{2,}/g, '-');
  return cleaned.slice(0, 80) || 'document';
}

/** Only absolute https URLs without credentials are ever printed as links. */
export function isSafeHttpsUrl(url: string | undefined): url is string {
  if (!url || hasControlChars(url) || /\s/.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && !parsed.username && !parsed.password && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}
