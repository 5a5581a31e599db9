/** Letter -> plain-text e-mail body (UTF-8, lines wrapped at 76 columns on ordinary spaces). */
import { labelSeparator, quoteMarks, type Block, type Letter } from './letter';

const WIDTH = 76;

export function renderText(letter: Letter): string {
  const out: string[] = [];
  const sep = labelSeparator(letter.language);
  const para = (text: string, indent = '', firstIndent = indent) => {
    for (const raw of text.split('\n')) out.push(...wrap(raw, WIDTH, firstIndent, indent));
  };
  const blank = () => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };

  if (letter.emailIntro) {
    para(letter.emailIntro);
    blank();
    out.push('-'.repeat(WIDTH));
    blank();
  }
  if (letter.title) {
    out.push(letter.title, '='.repeat(Math.min(WIDTH, letter.title.length)));
    blank();
  }
  if (letter.letterhead) {
    const fr = letter.language === 'fr';
    out.push(fr ? 'Expéditeur :' : 'From:', ...letter.letterhead.sender.map((l) => `  ${l}`));
    blank();
    out.push(fr ? 'Destinataire :' : 'To:', ...letter.letterhead.recipient.map((l) => `  ${l}`));
    blank();
  }
  for (const f of letter.references) out.push(`${f.label}${sep}${f.value}`);
  if (letter.references.length) blank();
  if (letter.object) {
    para(letter.object);
    blank();
  }
  para(letter.greeting);
  blank();
  for (const block of letter.blocks) {
    renderBlock(block, out, sep, para, quoteMarks(letter.language));
    blank();
  }
  para(letter.closing);
  blank();
  if (letter.placeDate) {
    para(letter.placeDate);
    blank();
  }
  out.push(...letter.signature);
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function renderBlock(
  block: Block,
  out: string[],
  sep: string,
  para: (text: string, indent?: string, firstIndent?: string) => void,
  [open, close]: [string, string],
): void {
  switch (block.type) {
    case 'paragraph':
      para(block.text);
      return;
    case 'heading':
      out.push(block.text.toUpperCase(), '-'.repeat(Math.min(WIDTH, block.text.length)));
      return;
    case 'list':
      for (const item of block.items) para(item, '  ', '- ');
      return;
    case 'fields':
      for (const f of block.rows) para(`${f.label}${sep}${f.value}`, '    ');
      return;
    case 'amounts':
      for (const row of block.rows) {
        if (row.total) out.push('  ' + '-'.repeat(40));
        para(`${row.label}${sep}${row.amount}`, '      ', '  ');
        if (row.detail) para(`(${row.detail})`, '      ', '      ');
      }
      return;
    case 'table': {
      const render = (cells: string[]) =>
        para(cells.map((c, i) => `${block.columns[i]?.label ?? ''}${sep}${c}`).join(' – '), '    ', '- ');
      for (const r of block.rows) render(r);
      if (block.totalRow) {
        out.push('  ' + '-'.repeat(40));
        para(block.totalRow.filter((c) => c).join(sep), '    ', '  ');
      }
      return;
    }
    case 'quote':
      para(block.title);
      for (const p of block.paragraphs) {
        out.push('');
        para(`${open}${p}${close}`, '    ', '    ');
      }
      return;
    case 'link':
      para(`${block.label} ${block.url}`);
      return;
    case 'group':
      block.blocks.forEach((b, i) => {
        if (i > 0 && out.length > 0 && out[out.length - 1] !== '') out.push('');
        renderBlock(b, out, sep, para, [open, close]);
      });
      return;
  }
}

/** Greedy wrap on U+0020 only (no-break spaces inside amounts and dates are never split). */
export function wrap(text: string, width: number, firstIndent = '', indent = firstIndent): string[] {
  const words = text.split(' ').filter((w, i, all) => w !== '' || (i === 0 && all.length === 1));
  if (words.length === 0) return [firstIndent.trimEnd()];
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const w of words) {
    const candidate = empty ? line + w : `${line} ${w}`;
    if (!empty && candidate.length > width) {
      lines.push(line);
      line = indent + w;
    } else {
      line = candidate;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
