/**
 * Reads IAM out of a synthesized template: every policy statement wherever it lives (policies,
 * managed policies, roles' inline policies, bucket policies), and what one function's role may do.
 */
type Json = any;

export interface FoundStatement {
  /** Logical id of the resource holding the statement. */
  source: string;
  statement: Json;
}

export function allStatements(template: Json): FoundStatement[] {
  const found: FoundStatement[] = [];
  for (const [id, r] of Object.entries<Json>(template.Resources)) {
    const docs: Json[] = [];
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::S3::BucketPolicy') {
      docs.push(r.Properties.PolicyDocument);
    }
    if (r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::User' || r.Type === 'AWS::IAM::Group') {
      for (const p of r.Properties.Policies ?? []) docs.push(p.PolicyDocument);
    }
    for (const doc of docs) for (const statement of [].concat(doc.Statement)) found.push({ source: id, statement });
  }
  return found;
}

export const list = (v: Json): Json[] => (v === undefined ? [] : ([] as Json[]).concat(v));

/** Does an IAM action pattern (with * and ?) cover this concrete action? Case-insensitive, as IAM. */
export function actionCovers(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

/** The logical id of the Object Lock bucket (the evidence vault). */
export function vaultId(template: Json): string {
  const ids = Object.keys(template.Resources).filter(
    (id) => template.Resources[id].Type === 'AWS::S3::Bucket' && template.Resources[id].Properties?.ObjectLockEnabled,
  );
  if (ids.length !== 1) throw new Error(`expected one Object Lock bucket, found ${ids.length}`);
  return ids[0];
}

/**
 * What part of the vault a statement's resource designates: 'bucket' (the bucket ARN itself),
 * '/<suffix>' (objects, e.g. '/dossiers/*'), '*' (everything, the vault included), 'other' (a
 * resource that mentions the vault some other way), or null (not the vault).
 */
export function vaultScope(resource: Json, vault: string): string | null {
  if (resource === '*') return '*';
  const text = JSON.stringify(resource);
  if (!text.includes(`"${vault}"`)) return null;
  const arn = { 'Fn::GetAtt': [vault, 'Arn'] };
  if (JSON.stringify(resource) === JSON.stringify(arn)) return 'bucket';
  const join = resource?.['Fn::Join'];
  if (join && join[0] === '' && join[1].length === 2 && JSON.stringify(join[1][0]) === JSON.stringify(arn) && typeof join[1][1] === 'string') {
    return join[1][1];
  }
  return 'other';
}

/** The logical id of the role of the function built from lambdas/<handler>.ts. */
export function roleOfHandler(template: Json, handler: string): string {
  const fns = Object.values<Json>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['amiable:handler'] === handler);
  if (fns.length !== 1) throw new Error(`expected one function for ${handler}, found ${fns.length}`);
  return fns[0].Properties.Role['Fn::GetAtt'][0];
}

/** Statements of the policies attached to a role (and its inline policies). */
export function statementsOfRole(template: Json, roleId: string): Json[] {
  const attached = Object.values<Json>(template.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && list(r.Properties.Roles).some((x: Json) => x.Ref === roleId))
    .flatMap((p) => list(p.Properties.PolicyDocument.Statement));
  const inline = list(template.Resources[roleId].Properties.Policies).flatMap((p: Json) => list(p.PolicyDocument.Statement));
  return [...attached, ...inline];
}

/**
 * A role's permissions as "action resource-kind" pairs, e.g. "dynamodb:GetItem table",
 * "s3:PutObject vault/dossiers/*", "ses:SendRawEmail ses-identity/*", "states:StopExecution
 * executions" — without the logs and X-Ray grants every function has (nag.test.ts checks those).
 */
export function permissionsOfRole(template: Json, roleId: string): string[] {
  const vault = vaultId(template);
  const kindOf = (resource: Json): string => {
    const scope = vaultScope(resource, vault);
    if (scope === 'bucket') return 'vault';
    if (scope && scope !== 'other') return `vault${scope}`;
    const text = JSON.stringify(resource);
    const type = (id: string) => template.Resources[id]?.Type;
    const getAtt = resource?.['Fn::GetAtt'];
    // The bundles' exports bucket (lib/bundle-exports.ts): "exports", "exports/bundles/*".
    const exports = Object.keys(template.Resources).find((id) => type(id) === 'AWS::S3::Bucket' && /^Exports/.test(id));
    if (exports) {
      const scope = vaultScope(resource, exports);
      if (scope === 'bucket') return 'exports';
      if (scope && scope !== 'other') return `exports${scope}`;
    }
    if (getAtt && type(getAtt[0]) === 'AWS::DynamoDB::Table') return 'table';
    const index = text.match(/"\/index\/([^"]+)"/);
    if (index) return `table/index/${index[1]}`;
    const ses = text.match(/:(identity|configuration-set)\/([^"]*)"/);
    if (ses) return ses[1] === 'identity' ? `ses-identity/${ses[2]}` : 'ses-configuration-set';
    if (text.includes(':execution:')) return 'executions';
    if (resource?.Ref && type(resource.Ref) === 'AWS::StepFunctions::StateMachine') return 'state-machine';
    if (getAtt && type(getAtt[0]) === 'AWS::SQS::Queue') return 'queue';
    if (/:event-bus\/default"/.test(text)) return 'default-event-bus';
    return text;
  };
  return [
    ...new Set(
      statementsOfRole(template, roleId)
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => list(s.Action).flatMap((a: string) => list(s.Resource).map((r) => `${a} ${kindOf(r)}`)))
        .filter((p) => !/^(logs|xray):/.test(p)),
    ),
  ].sort();
}

/** "a1 a2 ..." on each resource kind, as permissionsOfRole writes them. */
export function on(kind: string, ...actions: string[]): string[] {
  return actions.map((a) => `${a} ${kind}`);
}
