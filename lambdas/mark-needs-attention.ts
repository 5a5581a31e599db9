import { markNeedsAttention } from './domain/dossier';
import { clock } from './adapters/clock';
import { updateDossier } from './adapters/dossier-store';

export interface NeedsAttentionEvent {
  dossierId: string;
  executionName: string;
  error?: { Error?: string; Cause?: string };
}

/** Step Functions Catch target: the dossier is flagged so a person looks at it. */
export async function handler(event: NeedsAttentionEvent): Promise<{ status: string }> {
  const reason = `${event.error?.Error ?? 'Error'}: ${String(event.error?.Cause ?? '').slice(0, 500)}`;
  const out = await updateDossier(event.dossierId, (d) => ({ dossier: markNeedsAttention(d, reason, clock().now()) }));
  return { status: out.dossier.status };
}
