/**
 * A notice as structured content, before it becomes plain text, HTML or a PDF page. Templates build
 * a Letter out of plain strings only; the renderers (render-text, render-html, pdf-letter) own
 * escaping and layout, so user-supplied text can never become markup.
 */
import type { Language } from '../domain/model';

export interface Field {
  label: string;
  value: string;
}

export interface AmountRow {
  label: string;
  /** Second line in small print (period, days, rate, basis). */
  detail?: string;
  /** Already formatted ("1 250,00 €"). */
  amount: string;
  /** The grand-total row (bold, ruled). */
  total?: boolean;
}

export type Block =
  | { type: 'paragraph'; text: string; emphasis?: boolean }
  | { type: 'heading'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'fields'; rows: Field[] }
  | { type: 'amounts'; rows: AmountRow[] }
  | { type: 'table'; columns: { label: string; align: 'left' | 'right' }[]; rows: string[][]; totalRow?: string[] }
  | { type: 'quote'; title: string; paragraphs: string[] }
  /** The URL must already be vetted with isSafeHttpsUrl. */
  | { type: 'link'; label: string; url: string }
  /** Blocks kept together: the PDF never splits them across two pages (e.g. the payment details). */
  | { type: 'group'; blocks: Block[] };

export interface Letter {
  language: Language;
  /** Banner above everything ("MISE EN DEMEURE"). */
  title?: string;
  /** Sender and recipient blocks, for formal letters. */
  letterhead?: { sender: string[]; recipient: string[] };
  /** Shown at the top of the e-mail only (not in the PDF letter), e.g. "the letter is attached". */
  emailIntro?: string;
  /** Reference lines (our reference, invoice, first letter...). */
  references: Field[];
  /** "Objet : ..." line. */
  object?: string;
  greeting: string;
  blocks: Block[];
  closing: string;
  /** "Fait à Lyon, le 10 juillet 2026". */
  placeDate?: string;
  signature: string[];
  /** Running footer of the PDF pages. */
  footer?: string;
}

/** "Label : value" in French typography, "Label: value" in English. */
export function labelSeparator(language: Language): string {
  return language === 'fr' ? '\u00a0: ' : ': ';
}

/** Quotation marks around quoted text: « » in French, “ ” in English. */
export function quoteMarks(language: Language): [string, string] {
  return language === 'fr' ? ['«\u00a0', '\u00a0»'] : ['\u201c', '\u201d'];
}
