/**
 * Reads the leaf parts of a MIME message back (RFC 2045-2046): headers, multipart boundaries and
 * the base64 / quoted-printable transfer encodings. Enough for the messages Amiable composes
 * itself (mime.ts, nodemailer's MailComposer), which is all it reads: the litigation dossier PDF is
 * kept once, as the attachment of the hand-off message in the vault, and bundles take it from there
 * (services/evidence-source.ts). Every caller checks what it extracts against a recorded SHA-256,
 * so a misread is an error, never a silent wrong file. Tested against mailparser (the test oracle).
 * No library: mailparser and its stream stack would weigh on the Lambdas that build bundles.
 */

export interface MimePart {
  /** Lower-case media type, e.g. application/pdf. */
  contentType: string;
  /** The filename of Content-Disposition, else the name of Content-Type (RFC 2231 continuations not needed here). */
  filename: string | null;
  /** The decoded body. */
  content: Buffer;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** Unfolded headers, names lower-cased (a repeated header keeps its first value). */
function headersOf(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!out.has(name)) out.set(name, line.slice(colon + 1).trim());
  }
  return out;
}

/** A parameter of a structured header (`boundary`, `name`, `filename`), quoted or not. */
function param(value: string | undefined, name: string): string | null {
  if (!value) return null;
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(value);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
}

function decode(body: Buffer, encoding: string): Buffer {
  switch (encoding) {
    case 'base64':
      return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable': {
      const text = body.toString('latin1').replace(/=\r?\n/g, '');
      return Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    }
    default:
      return body;
  }
}

/** The body parts between `--boundary` delimiter lines (preamble and epilogue dropped). */
function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    let start = at + delimiter.length;
    // The closing delimiter ends the multipart.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    const eol = body.indexOf('\n', start);
    if (eol < 0) break;
    start = eol + 1;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
    let end = next;
    if (body[end - 1] === 0x0a) end--;
    if (body[end - 1] === 0x0d) end--;
    parts.push(body.subarray(start, end));
    at = next;
  }
  return parts;
}

/** Every leaf part of `raw`, in order, nested multiparts flattened (at most 16 levels deep). */
export function mimeParts(raw: Uint8Array, depth = 0): MimePart[] {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let split = bytes.indexOf(CRLF_CRLF);
  let skip = 4;
  const lf = bytes.indexOf('\n\n');
  if (lf >= 0 && (split < 0 || lf < split)) [split, skip] = [lf, 2];
  const headers = headersOf(bytes.subarray(0, split < 0 ? bytes.length : split).toString('latin1'));
  const body = split < 0 ? Buffer.alloc(0) : bytes.subarray(split + skip);
  const type = (headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(headers.get('content-type'), 'boundary');
    if (!boundary || depth >= 16) return [];
    return splitMultipart(body, boundary).flatMap((part) => mimeParts(part, depth + 1));
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  return [{ contentType: type, filename: param(headers.get('content-disposition'), 'filename') ?? param(headers.get('content-type'), 'name'), content: decode(body, encoding) }];
}
