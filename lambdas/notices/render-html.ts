/**
 * Letter -> standalone HTML e-mail body. Every string that reaches the markup goes through
 * escapeHtml; links are emitted only for URLs the templates vetted as https.
 */
import { escapeHtml as e, isSafeHttpsUrl } from './escape';
import { labelSeparator, type Block, type Letter } from './letter';

const BODY_STYLE =
  'margin:0 auto;padding:16px;max-width:680px;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2328';
const CELL = 'padding:4px 8px;vertical-align:top;border-bottom:1px solid #e5e7eb';
const NUM = `${CELL};text-align:right;white-space:nowrap`;

export function renderHtml(letter: Letter, subject: string): string {
  const sep = labelSeparator(letter.language);
  const parts: string[] = [];
  if (letter.emailIntro) {
    parts.push(`<p style="padding:8px 12px;background:#f3f4f6;border-radius:4px">${lines(letter.emailIntro)}</p>`);
  }
  if (letter.title) {
    parts.push(
      `<h1 style="font-size:20px;letter-spacing:0.04em;text-align:center;border:2px solid #1f2328;padding:8px">${e(letter.title)}</h1>`,
    );
  }
  if (letter.letterhead) {
    parts.push(
      '<table role="presentation" style="width:100%;border-collapse:collapse;margin-bottom:16px"><tr>' +
        `<td style="vertical-align:top;width:50%">${letter.letterhead.sender.map(e).join('<br>')}</td>` +
        `<td style="vertical-align:top;width:50%;padding-left:24px">${letter.letterhead.recipient.map(e).join('<br>')}</td>` +
        '</tr></table>',
    );
  }
  if (letter.references.length) {
    parts.push(`<p>${letter.references.map((f) => `${e(f.label)}${e(sep)}<strong>${e(f.value)}</strong>`).join('<br>')}</p>`);
  }
  if (letter.object) parts.push(`<p><strong>${e(letter.object)}</strong></p>`);
  parts.push(`<p>${lines(letter.greeting)}</p>`);
  for (const block of letter.blocks) parts.push(renderBlock(block, sep));
  parts.push(`<p>${lines(letter.closing)}</p>`);
  if (letter.placeDate) parts.push(`<p>${e(letter.placeDate)}</p>`);
  parts.push(`<p>${letter.signature.map(e).join('<br>')}</p>`);

  return [
    '<!DOCTYPE html>',
    `<html lang="${letter.language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(subject)}</title></head>`,
    `<body style="${BODY_STYLE}">`,
    ...parts,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderBlock(block: Block, sep: string): string {
  switch (block.type) {
    case 'paragraph':
      return block.emphasis ? `<p><strong>${lines(block.text)}</strong></p>` : `<p>${lines(block.text)}</p>`;
    case 'heading':
      return `<h2 style="font-size:16px;margin:20px 0 8px">${e(block.text)}</h2>`;
    case 'list':
      return `<ul>${block.items.map((i) => `<li>${lines(i)}</li>`).join('')}</ul>`;
    case 'fields':
      return (
        '<table role="presentation" style="border-collapse:collapse">' +
        block.rows
          .map((f) => `<tr><td style="padding:2px 12px 2px 0;vertical-align:top;color:#57606a">${e(f.label)}</td><td style="padding:2px 0">${lines(f.value)}</td></tr>`)
          .join('') +
        '</table>'
      );
    case 'amounts':
      return (
        '<table style="border-collapse:collapse;width:100%">' +
        block.rows
          .map((r) => {
            const label = r.total ? `<strong>${e(r.label)}</strong>` : e(r.label);
            const detail = r.detail ? `<br><small style="color:#57606a">${e(r.detail)}</small>` : '';
            const amount = r.total ? `<strong>${e(r.amount)}</strong>` : e(r.amount);
            const top = r.total ? ';border-top:2px solid #1f2328' : '';
            return `<tr><td style="${CELL}${top}">${label}${detail}</td><td style="${NUM}${top}">${amount}</td></tr>`;
          })
          .join('') +
        '</table>'
      );
    case 'table': {
      const align = (i: number) => (block.columns[i]?.align === 'right' ? NUM : CELL);
      const head = block.columns.map((c, i) => `<th style="${align(i)};font-weight:bold">${e(c.label)}</th>`).join('');
      const body = block.rows.map((r) => `<tr>${r.map((c, i) => `<td style="${align(i)}">${e(c)}</td>`).join('')}</tr>`).join('');
      const total = block.totalRow
        ? `<tr>${block.totalRow.map((c, i) => `<td style="${align(i)};font-weight:bold;border-top:2px solid #1f2328">${e(c)}</td>`).join('')}</tr>`
        : '';
      return `<table style="border-collapse:collapse;width:100%"><thead><tr>${head}</tr></thead><tbody>${body}${total}</tbody></table>`;
    }
    case 'quote':
      return (
        `<p><strong>${e(block.title)}</strong></p>` +
        `<blockquote style="margin:0 0 12px 0;padding:4px 12px;border-left:3px solid #d0d7de;color:#424a53">` +
        block.paragraphs.map((p) => `<p>${lines(p)}</p>`).join('') +
        '</blockquote>'
      );
    case 'link':
      return isSafeHttpsUrl(block.url)
        ? `<p>${e(block.label)} <a href="${e(block.url)}">${e(block.url)}</a></p>`
        : `<p>${e(block.label)} ${e(block.url)}</p>`;
    case 'group':
      return block.blocks.map((b) => renderBlock(b, sep)).join('\n');
  }
}

/** Escaped text whose "\n" become <br>. */
function lines(text: string): string {
  return text.split('\n').map(e).join('<br>');
}
