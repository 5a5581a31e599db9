import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand as QueryItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type BatchGetItemCommandInput,
  type BatchWriteItemCommandInput,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  type GetItemCommandInput,
  type PutItemCommandInput,
  type QueryCommandInput as QueryItemsCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
// Types only (no code of lib-dynamodb is bundled): the document shapes of its commands.
import type * as Doc from '@aws-sdk/lib-dynamodb';
import { dynamodb } from './dynamodb';

export type {
  PutCommandInput,
  QueryCommandInput,
  UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB document commands the adapters send: plain JavaScript values in and out, marshalled
 * by the SDK's own util-dynamodb (strings as S, numbers as N, booleans as BOOL, objects as M, Sets
 * of strings as SS, bytes as B), so adapters write no attribute maps by hand.
 *
 * Why not lib-dynamodb's DynamoDBDocumentClient: its single CommonJS file brings every command,
 * paginator and PartiQL statement (16 KiB minified) into every Lambda bundle for the seven it uses
 * (issue 15: each bundle within 1.25x of its SDK floor). This is the same translation: each
 * command marshals the same fields lib-dynamodb 3.1164's does (its inputKeyNodes/outputKeyNodes,
 * legacy parameters included), value by value with `marshall(value, { removeUndefinedValues,
 * convertTopLevelContainer })` and back with `unmarshall(value, { convertWithoutMapWrapper })`, then
 * sends the low-level command through the process's DynamoDBClient (its middleware stack, retries,
 * local mode's fault injection and metering see the request as before). Stored items are
 * byte-identical (test/adapters/dynamodb-documents.test.ts compares with lib-dynamodb).
 *
 * Marshalling options, one set for every stored item: undefined fields are left out; empty
 * strings, sets and binaries are refused, not turned into NULL (convertEmptyValues off); class
 * instances are refused, not turned into maps; numbers come back as numbers (wrapNumbers off).
 */

/**
 * Which parts of a command's input or output hold attribute values: VALUE (the node itself is
 * one value), VALUES (a map or list whose every member is one value) or, in an object, the named
 * children (`'*'`: every child, whatever its name).
 */
type Shape = typeof VALUE | typeof VALUES | { readonly [key: string]: Shape };
const VALUE = 'value';
const VALUES = 'values';

type Convert = (value: unknown) => unknown;
type Plain = Record<string, unknown>;
const notFunction = (v: unknown) => typeof v !== 'function';

function convert(node: unknown, shape: Shape, fn: Convert): unknown {
  if (node === undefined) return undefined;
  if (shape === VALUE) return fn(node);
  if (shape === VALUES || '*' in shape) {
    const each = (v: unknown) => (shape === VALUES ? (v === undefined ? undefined : fn(v)) : convert(v, shape['*']!, fn));
    if (Array.isArray(node)) return node.filter(notFunction).map(each);
    const out: Plain = {};
    for (const [k, v] of Object.entries(node as Plain)) {
      const c = notFunction(v) ? each(v) : undefined;
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  const out: Plain = Array.isArray(node) ? (node.filter(notFunction) as unknown as Plain) : Object.fromEntries(Object.entries(node as Plain).filter(([, v]) => notFunction(v)));
  for (const [k, s] of Object.entries(shape)) {
    const c = convert((node as Plain)[k], s, fn);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

// Each value on its own, as lib-dynamodb does (convertTopLevelContainer: a map or list is an M or L value).
const toAttributes: Convert = (v) => marshall(v as Plain, { removeUndefinedValues: true, convertTopLevelContainer: true });
const fromAttributes: Convert = (v) => unmarshall(v as Record<string, AttributeValue>, { convertWithoutMapWrapper: true });

/** The low-level commands the document commands become. */
type LowLevel = GetItemCommand | PutItemCommand | UpdateItemCommand | DeleteItemCommand | QueryItemsCommand | BatchGetItemCommand | BatchWriteItemCommand;

/** A document command: its input, the low-level command it becomes, and where the values are. */
export abstract class DocumentCommand<In extends object, Out extends object> {
  protected abstract readonly request: Shape;
  protected abstract readonly response: Shape;
  protected abstract lowLevel(input: never): LowLevel;
  constructor(readonly input: In) {}

  /** Sends it through `client`: marshals the input, sends the low-level command, unmarshals the output. */
  async sendThrough(client: DynamoDBClient): Promise<Out> {
    const command = this.lowLevel(convert(this.input, this.request, toAttributes) as never);
    const out: unknown = await client.send(command as GetItemCommand);
    return convert(out, this.response, fromAttributes) as Out;
  }
}

const EXPECTED: Shape = { '*': { Value: VALUE, AttributeValueList: VALUES } };
const WRITTEN: Shape = { Attributes: VALUES, ItemCollectionMetrics: { ItemCollectionKey: VALUES } };
const KEYS: Shape = { '*': { Keys: { '*': VALUES } } };
const WRITE_REQUESTS: Shape = { '*': { '*': { PutRequest: { Item: VALUES }, DeleteRequest: { Key: VALUES } } } };

export class GetCommand extends DocumentCommand<Doc.GetCommandInput, Doc.GetCommandOutput> {
  protected readonly request: Shape = { Key: VALUES };
  protected readonly response: Shape = { Item: VALUES };
  protected lowLevel(input: GetItemCommandInput) {
    return new GetItemCommand(input);
  }
}

export class PutCommand extends DocumentCommand<Doc.PutCommandInput, Doc.PutCommandOutput> {
  protected readonly request: Shape = { Item: VALUES, Expected: EXPECTED, ExpressionAttributeValues: VALUES };
  protected readonly response = WRITTEN;
  protected lowLevel(input: PutItemCommandInput) {
    return new PutItemCommand(input);
  }
}

export class UpdateCommand extends DocumentCommand<Doc.UpdateCommandInput, Doc.UpdateCommandOutput> {
  protected readonly request: Shape = { Key: VALUES, AttributeUpdates: { '*': { Value: VALUE } }, Expected: EXPECTED, ExpressionAttributeValues: VALUES };
  protected readonly response = WRITTEN;
  protected lowLevel(input: UpdateItemCommandInput) {
    return new UpdateItemCommand(input);
  }
}

export class DeleteCommand extends DocumentCommand<Doc.DeleteCommandInput, Doc.DeleteCommandOutput> {
  protected readonly request: Shape = { Key: VALUES, Expected: EXPECTED, ExpressionAttributeValues: VALUES };
  protected readonly response = WRITTEN;
  protected lowLevel(input: DeleteItemCommandInput) {
    return new DeleteItemCommand(input);
  }
}

export class QueryCommand extends DocumentCommand<Doc.QueryCommandInput, Doc.QueryCommandOutput> {
  protected readonly request: Shape = {
    KeyConditions: { '*': { AttributeValueList: VALUES } },
    QueryFilter: { '*': { AttributeValueList: VALUES } },
    ExclusiveStartKey: VALUES,
    ExpressionAttributeValues: VALUES,
  };
  protected readonly response: Shape = { Items: { '*': VALUES }, LastEvaluatedKey: VALUES };
  protected lowLevel(input: QueryItemsCommandInput) {
    return new QueryItemsCommand(input);
  }
}

export class BatchGetCommand extends DocumentCommand<Doc.BatchGetCommandInput, Doc.BatchGetCommandOutput> {
  protected readonly request: Shape = { RequestItems: KEYS };
  protected readonly response: Shape = { Responses: { '*': { '*': VALUES } }, UnprocessedKeys: KEYS };
  protected lowLevel(input: BatchGetItemCommandInput) {
    return new BatchGetItemCommand(input);
  }
}

export class BatchWriteCommand extends DocumentCommand<Doc.BatchWriteCommandInput, Doc.BatchWriteCommandOutput> {
  protected readonly request: Shape = { RequestItems: WRITE_REQUESTS };
  protected readonly response: Shape = { UnprocessedItems: WRITE_REQUESTS, ItemCollectionMetrics: { '*': { '*': { ItemCollectionKey: VALUES } } } };
  protected lowLevel(input: BatchWriteItemCommandInput) {
    return new BatchWriteItemCommand(input);
  }
}

/** What the adapters call: `send(new GetCommand(...))`, as with lib-dynamodb's client. */
export interface DynamoDBDocuments {
  send<In extends object, Out extends object>(command: DocumentCommand<In, Out>): Promise<Out>;
}

/** The document commands over `client` (scripts and tests give their own client). */
export const documentsOver = (client: DynamoDBClient): DynamoDBDocuments => ({ send: (command) => command.sendThrough(client) });

/**
 * The DynamoDB documents of this process, over the process's DynamoDB client (read each time:
 * local mode's reset replaces the client).
 */
export const dynamodbDocuments = (): DynamoDBDocuments => ({ send: (command) => command.sendThrough(dynamodb()) });
