/**
 * Size limits of an e-invoice upload. API Gateway passes a binary body to Lambda base64-encoded,
 * and a synchronous Lambda invocation takes at most 6 MB of request payload (AWS Lambda quotas):
 * 4 MiB of file is 5.6 MB of base64, which leaves room for the event's headers. API Gateway's own
 * cap is 10 MB (REST payload). The XML itself, standalone or decompressed out of a PDF, is capped
 * lower: a UBL or CII invoice of a few thousand lines is well under 2 MiB.
 */
export const MAX_EINVOICE_BYTES = 4 * 1024 * 1024;
export const MAX_XML_BYTES = 2 * 1024 * 1024;
