/**
 * The operators pdf-lib's drawText writes for one line of text, upright, in an RGB colour (q BT rg
 * Tf Tm Tj ET Q), built from shared parts: the operators without operands once for the process,
 * the colour and font operators once per colour and font, and each number once (pdf-lib formats every
 * operand of every line anew: numberToString was a tenth of a letter's drawing). PDF objects are
 * written, never changed, once made: sharing them across lines and letters writes the same bytes.
 * test/notices/pdf-text-operators.test.ts compares the operators with drawText's.
 */
import type { Color, PDFHexString, PDFName, PDFNumber, PDFOperator, RGB } from 'pdf-lib';

interface Libs {
  PDFOperator: { of(name: string, args?: unknown[]): PDFOperator };
  PDFOperatorNames: Record<'PushGraphicsState' | 'PopGraphicsState' | 'BeginText' | 'EndText' | 'NonStrokingColorRgb' | 'SetFontAndSize' | 'SetTextMatrix' | 'ShowText', string>;
  PDFNumber: { of(value: number): PDFNumber };
}

export interface LineOptions {
  color: Color;
  font: PDFName;
  size: number;
  x: number;
  y: number;
}

const isRgb = (color: Color): color is RGB => (color.type as string) === 'RGB';

/** Numbers remembered (positions repeat from line to line and letter to letter); bounded. */
const NUMBER_LIMIT = 4096;

/**
 * A function giving drawText's operators for a line (its rotation and skews 0), or undefined for a
 * colour that is not RGB (the caller then asks drawText).
 */
export function lineOperators(libs: Libs): (hex: PDFHexString, o: LineOptions) => PDFOperator[] | undefined {
  const { PDFOperator, PDFOperatorNames: Ops, PDFNumber } = libs;
  const numbers = new Map<number, PDFNumber>();
  const num = (n: number) => {
    let p = numbers.get(n);
    if (!p) {
      if (numbers.size >= NUMBER_LIMIT) numbers.clear();
      numbers.set(n, (p = PDFNumber.of(n)));
    }
    return p;
  };
  const [q, bt, et, Q] = [Ops.PushGraphicsState, Ops.BeginText, Ops.EndText, Ops.PopGraphicsState].map((name) => PDFOperator.of(name));
  const colors = new Map<string, PDFOperator>();
  const fonts = new Map<PDFName, Map<number, PDFOperator>>();
  // rotateAndSkewTextRadiansAndTranslate at angles 0: cos, sin + tan, -sin + tan, cos.
  const matrix = [Math.cos(0), Math.sin(0) + Math.tan(0), -Math.sin(0) + Math.tan(0), Math.cos(0)];
  return (hex, { color, font, size, x, y }) => {
    if (!isRgb(color)) return undefined;
    const key = `${color.red} ${color.green} ${color.blue}`;
    let rg = colors.get(key);
    if (!rg) colors.set(key, (rg = PDFOperator.of(Ops.NonStrokingColorRgb, [num(color.red), num(color.green), num(color.blue)])));
    let sizes = fonts.get(font);
    if (!sizes) fonts.set(font, (sizes = new Map()));
    let tf = sizes.get(size);
    if (!tf) sizes.set(size, (tf = PDFOperator.of(Ops.SetFontAndSize, [font, num(size)])));
    const tm = PDFOperator.of(Ops.SetTextMatrix, [...matrix.map(num), num(x), num(y)]);
    return [q, bt, rg, tf, tm, PDFOperator.of(Ops.ShowText, [hex]), et, Q];
  };
}
