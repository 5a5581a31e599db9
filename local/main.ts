/**
 * `npm start`: the whole system on this machine, in the foreground, against local emulators with a
 * simulated clock. Configuration by environment (see README): AMIABLE_PORT, AMIABLE_SES_PORT,
 * AMIABLE_DATA_DIR, AMIABLE_CLOCK_START, AMIABLE_API_KEY, AMIABLE_ADMIN_KEY, AMIABLE_FAULTS (tests).
 */
import './polyfills';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFaultsEnv } from './fault-injection';
import { startLocalSystem } from './system';
import { boundHeapGrowth } from './heap-growth';

boundHeapGrowth();

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number (0-65535), got "${raw}"`);
    process.exit(2);
  }
  return n;
}

/** One process per data dir: the on-disk DynamoDB emulator cannot be shared. */
function lockDataDir(dir: string): () => void {
  const lock = path.join(dir, 'amiable.pid');
  if (fs.existsSync(lock)) {
    const pid = Number(fs.readFileSync(lock, 'utf8'));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (alive) {
      console.error(`Another Amiable (pid ${pid}) is using ${dir}. Stop it or set AMIABLE_DATA_DIR.`);
      process.exit(1);
    }
  }
  fs.writeFileSync(lock, String(process.pid));
  return () => fs.rmSync(lock, { force: true });
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.AMIABLE_DATA_DIR || '.amiable');
  fs.mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  const sys = await startLocalSystem({
    dataDir,
    apiPort: port('AMIABLE_PORT', 3000),
    sesPort: port('AMIABLE_SES_PORT', 8005),
    clockStart: process.env.AMIABLE_CLOCK_START || undefined,
    apiKey: process.env.AMIABLE_API_KEY || undefined,
    adminKey: process.env.AMIABLE_ADMIN_KEY || undefined,
    faults: parseFaultsEnv(process.env.AMIABLE_FAULTS),
  }).catch((e) => {
    unlock();
    console.error(`Amiable could not start: ${(e as Error).message}`);
    process.exit(1);
  });

  const active = sys.engine.list().filter((r) => r.status === 'RUNNING').length;
  console.log(
    [
      '',
      'Amiable is running in local mode.',
      `  API:           ${sys.apiUrl}`,
      `  SES emulator:  ${sys.sesUrl}   (web UI: every e-mail sent, "At" = simulated send time)`,
      `  Simulated now: ${sys.clock.now().toISOString()}   (GET/POST ${sys.apiUrl}/_local/clock)`,
      `  Data dir:      ${dataDir}   (creditor profile: creditor-profile.json)`,
      `  Dossiers in progress: ${active}`,
      `API key: ${sys.apiKey}`,
      `Admin key: ${sys.adminKey}`,
      '   (x-admin-key on /admin routes; CLI: npx amiable creditors list --endpoint ' + sys.apiUrl + ' --admin-key <key>)',
      '',
      'Try:',
      `  curl -s ${sys.apiUrl}/_local/clock`,
      `  curl -s -X POST ${sys.apiUrl}/_local/clock -H 'content-type: application/json' -d '{"advance":"P10D"}'`,
      'Press Ctrl+C to stop; a restart resumes every dossier where it stood.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing in-flight work and stopping...`);
    await sys.stop();
    unlock();
    console.log('Stopped cleanly.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
