import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LISTING_INDEXES } from '../lambdas/adapters/table-indexes';

/** Name of the index answering "what is due / what changed per creditor". */
export const BY_CREDITOR_NEXT_ACTION = 'byCreditorNextAction';

/**
 * The item-level DynamoDB actions a function may be granted, by name: a typo fails the typecheck,
 * and table-wide or destructive ones (Scan, BatchWriteItem, DescribeTable...) are not offered.
 */
export type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem';

/**
 * One table, single-item dossiers: a dossier's state, schedule and event history live in ONE item
 * so every change is one conditional write (DynamoDB transactions are not needed, and dynalite
 * used locally has none). Keys: pk = "D#<dossierId>" | "C#<creditorId>" (sk "PROFILE", or
 * "DEBTOR#<debtorKey>" for a debtor's e-mail pause) | "K#<sha256(apiKey)>" | "M#<sesMessageId>".
 */
export class DossierTable extends Construct {
  readonly table: dynamodb.Table;
  /** Index names each grant covered, checked against the table's indexes at synth. */
  private readonly grantedIndexes: string[][] = [];

  constructor(scope: Construct, id: string, props: { removalPolicy: RemovalPolicy }) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Every change, with its before and after images, for the accountants' alerts and digest jobs
      // (lib/accountant-mail.ts); local mode emulates it (local/dynamodb-stream.ts).
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      // Production keeps the table: RETAIN survives a stack deletion, deletion protection refuses a
      // direct DeleteTable too.
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    // Sparse: only dossiers carry creditorId + nextActionAt.
    this.table.addGlobalSecondaryIndex({
      indexName: BY_CREDITOR_NEXT_ACTION,
      partitionKey: { name: 'creditorId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'nextActionAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    // Listing indexes (GET /invoices, GET /admin/creditors): lambdas/adapters/table-indexes.ts.
    for (const index of LISTING_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...(index.include
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : { projectionType: dynamodb.ProjectionType.KEYS_ONLY }),
      });
    }
    this.node.addValidation({ validate: () => this.checkGrantsCoverIndexes() });
  }

  /**
   * The secondary indexes the table has, read from the table itself: an index added in the
   * constructor is covered by every grant without touching this method.
   */
  get indexNames(): string[] {
    const cfn = this.table.node.defaultChild as dynamodb.CfnTable;
    const stack = Stack.of(this);
    const indexes = [cfn.globalSecondaryIndexes, cfn.localSecondaryIndexes].flatMap(
      (list) => (stack.resolve(list) as { indexName: string }[] | undefined) ?? [],
    );
    return indexes.map((i) => i.indexName);
  }

  /**
   * Grants exactly `actions` (the calls the function makes: lambdas/adapters/*.ts) on the table,
   * and, when Query is among them (the only one of these actions that reads an index), on each of
   * its indexes by name — never "index/*". Item-level actions only (DynamoAction).
   */
  grant(grantee: iam.IGrantable, actions: readonly DynamoAction[]): iam.Grant {
    if (actions.length === 0) throw new Error('DossierTable.grant: no action given');
    const queries = actions.includes('dynamodb:Query');
    const indexes = queries ? this.indexNames : [];
    if (queries) this.grantedIndexes.push(indexes);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...new Set(actions)],
      resourceArns: [this.table.tableArn, ...indexes.map((name) => `${this.table.tableArn}/index/${name}`)],
    });
  }

  /** An index added after a grant would be missing from it: fail the synth rather than deploy that. */
  private checkGrantsCoverIndexes(): string[] {
    const now = this.indexNames;
    return this.grantedIndexes.some((granted) => now.some((name) => !granted.includes(name)))
      ? [`an index was added to the dossier table after a grant was made: add indexes in the DossierTable constructor (indexes: ${now.join(', ')})`]
      : [];
  }
}
