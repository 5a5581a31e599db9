import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LISTING_INDEXES } from '../lambdas/adapters/table-indexes';

/** Name of the index answering "what is due / what changed per creditor". */
export const BY_CREDITOR_NEXT_ACTION = 'byCreditorNextAction';

const READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * One table, single-item dossiers: a dossier's state, schedule and event history live in ONE item
 * so every change is one conditional write (DynamoDB transactions are not needed, and dynalite
 * used locally has none). Keys: pk = "D#<dossierId>" | "C#<creditorId>" (sk "PROFILE", or
 * "DEBTOR#<debtorKey>" for a debtor's e-mail pause) | "K#<sha256(apiKey)>" | "M#<sesMessageId>".
 */
export class DossierTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: { removalPolicy: RemovalPolicy }) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
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
  }

  /**
   * The table's grantReadData/grantReadWriteData actions (less the stream reads: there is no
   * stream), on the table and its indexes by name — not on "index/*".
   */
  grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, READ_ACTIONS);
  }

  grantReadWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [...READ_ACTIONS, ...WRITE_ACTIONS]);
  }

  private grant(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [
        this.table.tableArn,
        ...[BY_CREDITOR_NEXT_ACTION, ...LISTING_INDEXES.map((i) => i.name)].map((name) => `${this.table.tableArn}/index/${name}`),
      ],
    });
  }
}
