/**
 * The bytes of a message MailComposer compiled, written in one synchronous pass over its MIME tree
 * with nodemailer's own pieces: each part's header block from the part itself (MimeNode
 * buildHeaders), its body encoded with nodemailer's base64 and quoted-printable functions, framed
 * as MimeNode.stream frames it (boundaries, CRLFs, the last newline). The same bytes as the
 * library's build(), without its stream machinery: build() runs a pipeline per part (a
 * PassThrough, an encoder Transform, an AbortSignal and its DOMException, a setImmediate per
 * step), ~1.5-3 ms of CPU per message where this pass takes well under half of that
 * (test/notices/mime-build.test.ts holds both to the same bytes, generated inputs included).
 *
 * Only what the messages Amiable composes contain takes this path; anything else answers null and
 * the caller uses build(): a body that is not a string or a Buffer (a stream, a file, a URL), or a
 * quoted-printable body the encoder would not write as wrap(encode(body)) in one go. nodemailer's
 * qp.Encoder, given a body in one piece, encodes it in 64 KiB slices and holds trailing spaces and
 * tabs back until the end; a body of at most 64 KiB that does not end in a space or a tab is one
 * slice with nothing held back, which is exactly `qp.wrap(qp.encode(body), 76)`. Base64 has no
 * such case: the encoder's lines are the body's base64 cut every 76 characters, whatever its size.
 * MailComposer is never given raw parts, transforms or a newline option here (mime.ts).
 */
import type MimeNode from 'nodemailer/lib/mime-node';
import * as base64 from 'nodemailer/lib/base64';
import * as qp from 'nodemailer/lib/qp';

/** nodemailer's quoted-printable encoder works in slices of this many bytes (qp ENCODE_SLICE_SIZE). */
const QP_SLICE_BYTES = 65_536;
/** RFC 2045 6.7 and 6.8: encoded lines of at most 76 characters (nodemailer's default). */
const LINE_LENGTH = 76;

interface Part {
  node: MimeNode;
  encoding: string | false;
  body: Buffer | null;
}

const isSpaceOrTab = (byte: number | undefined) => byte === 0x20 || byte === 0x09;

/** Every node of the tree with its body as bytes, or null if one of them needs build(). */
function partsOf(root: MimeNode): Part[] | null {
  const parts: Part[] = [];
  const visit = (node: MimeNode): boolean => {
    const content = node.content;
    if (content !== undefined && content !== '' && typeof content !== 'string' && !Buffer.isBuffer(content)) return false;
    const body = content ? (typeof content === 'string' ? Buffer.from(content, 'utf8') : content) : null;
    const encoding = node.getTransferEncoding();
    if (body && encoding === 'quoted-printable') {
      // Binary quoted-printable (a part other than text/*) encodes lone CRs and LFs: the encoder's business.
      const type = String(node.getHeader('Content-Type') ?? '');
      if (!/^text\//i.test(type) || body.length > QP_SLICE_BYTES || isSpaceOrTab(body[body.length - 1])) return false;
    }
    parts.push({ node, encoding, body });
    return node.childNodes.every(visit);
  };
  return visit(root) ? parts : null;
}

/** The message's bytes, as `root.build()` would give them, or null when only build() can write it. */
export function buildMessage(root: MimeNode): Buffer | null {
  const parts = partsOf(root);
  if (!parts) return null;
  const byNode = new Map(parts.map((p) => [p.node, p]));
  const out: (string | Buffer)[] = [];
  const write = (node: MimeNode) => {
    const { encoding, body } = byNode.get(node)!;
    // buildHeaders would detect the encoding again (a scan of the whole body); told, it keeps it.
    if (encoding === 'base64' || encoding === 'quoted-printable') node.setHeader('Content-Transfer-Encoding', encoding);
    out.push(`${node.buildHeaders()}\r\n\r\n`);
    if (body) {
      if (encoding === 'base64') out.push(base64.wrap(base64.encode(body), LINE_LENGTH));
      else if (encoding === 'quoted-printable') out.push(qp.wrap(qp.encode(body), LINE_LENGTH));
      else out.push(body);
    }
    if (node.multipart) {
      node.childNodes.forEach((child, i) => {
        out.push(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`);
        write(child);
      });
      out.push(`\r\n--${node.boundary}--\r\n`);
    }
  };
  write(root);
  const bytes = Buffer.concat(out.map((x) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : x)));
  // The message ends with a line break (nodemailer's LastNewline): a CR gets its LF, anything else a CRLF.
  const last = bytes[bytes.length - 1];
  return last === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from(last === 0x0d ? '\n' : '\r\n', 'latin1')]);
}
