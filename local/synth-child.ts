/**
 * Child process of local/template.ts: synthesizes the CDK app and writes the stack's template as
 * JSON to the file named by its argument (the local mode process never holds the construct tree).
 */
import * as fs from 'node:fs';
import { synthesizeTemplate } from './template';

const out = process.argv[2];
if (!out) throw new Error('usage: synth-child.ts <template.json>');
fs.writeFileSync(out, JSON.stringify(synthesizeTemplate()));
