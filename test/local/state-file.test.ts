/**
 * The small state files of the data dir (the simulated clock, the scheduler's last firings): each
 * save leaves exactly the JSON written, whether it went in place (same length) or whole through a
 * rename (first save, another length); a save of the same length keeps the file (its inode) and
 * leaves no temporary file; a reload resumes from what was saved.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../local/sim-clock';
import { StateFile } from '../../local/state-file';

const dirs: string[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'amiable-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('StateFile', () => {
  it('holds exactly the last text written, in place when the length is unchanged, renamed whole otherwise', () => {
    const file = path.join(tmpDir(), 'state.json');
    const state = new StateFile(file);
    state.write('{"a":"2026-04-04T10:00:00.000Z"}');
    const first = fs.statSync(file).ino;
    state.write('{"a":"2026-04-05T11:30:00.000Z"}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":"2026-04-05T11:30:00.000Z"}');
    expect(fs.statSync(file).ino).toBe(first); // overwritten in place
    state.write('{"a":"2026-04-05T11:30:00.000Z","b":1}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":"2026-04-05T11:30:00.000Z","b":1}');
    state.write('{"a":1}'); // shorter: no tail of the longer text left behind
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}');
    state.write('{"a":2}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":2}');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['state.json']);
  });

  it('writes a file whole again when it was removed or changed behind its back', () => {
    const file = path.join(tmpDir(), 'state.json');
    const state = new StateFile(file);
    state.write('{"n":"1"}');
    fs.rmSync(file);
    state.write('{"n":"2"}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":"2"}');
    // A file this process did not write is replaced whole on the first save.
    const other = path.join(path.dirname(file), 'other.json');
    fs.writeFileSync(other, '{"n":"longer than the next save"}');
    new StateFile(other).write('{"n":"3"}');
    expect(fs.readFileSync(other, 'utf8')).toBe('{"n":"3"}');
  });

  it('above one disk sector, every save is written whole and renamed', () => {
    const file = path.join(tmpDir(), 'big.json');
    const state = new StateFile(file);
    state.write(`"${'a'.repeat(600)}"`);
    const first = fs.statSync(file).ino;
    state.write(`"${'b'.repeat(600)}"`);
    expect(fs.readFileSync(file, 'utf8')).toBe(`"${'b'.repeat(600)}"`);
    expect(fs.statSync(file).ino).not.toBe(first);
  });

  it('lets the simulated clock resume where it stood', () => {
    const file = path.join(tmpDir(), 'clock.json');
    const clock = SimulatedClock.load(file, new Date('2026-04-04T10:00:00Z'));
    for (const at of ['2026-04-05T00:00:00Z', '2026-04-30T23:59:59.999Z', '2026-05-13T06:41:00Z']) clock.set(new Date(at));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ now: '2026-05-13T06:41:00.000Z' });
    expect(SimulatedClock.load(file, new Date('2020-01-01T00:00:00Z')).now().toISOString()).toBe('2026-05-13T06:41:00.000Z');
  });
});
