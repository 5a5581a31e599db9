import * as fs from 'node:fs';
import type { Clock } from '../lambdas/adapters/clock';
import { StateFile } from './state-file';

/**
 * The simulated clock of local mode: frozen between calls, moved only by the clock controller,
 * saved to the data directory so a restart resumes at the same instant.
 */
export class SimulatedClock implements Clock {
  private current: Date;
  private readonly saved?: StateFile;
  /** Told of every move (local/handler-workers.ts keeps its threads' instant in step). */
  onMove?: (at: Date) => void;

  constructor(start: Date, file?: string) {
    this.current = new Date(start.getTime());
    if (file) this.saved = new StateFile(file);
  }

  static load(file: string | undefined, fallback: Date): SimulatedClock {
    if (file && fs.existsSync(file)) {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
      return new SimulatedClock(new Date(saved.now), file);
    }
    const c = new SimulatedClock(fallback, file);
    c.save();
    return c;
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  /** Moves forward only: simulated time never runs backwards. */
  set(at: Date): void {
    if (at.getTime() < this.current.getTime()) throw new Error('the simulated clock cannot go backwards');
    this.current = new Date(at.getTime());
    this.save();
    this.onMove?.(this.now());
  }

  private save(): void {
    this.saved?.write(JSON.stringify({ now: this.current.toISOString() }));
  }
}
