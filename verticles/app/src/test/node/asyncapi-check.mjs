// Reads an AsyncAPI document with the AsyncAPI project's own parser and prints, as one JSON object
// on stdout: the parser's diagnostics, each channel with its messages, the operations, and, when a
// second file is given, which of its channel's messages each observed record matches.
//
//   node asyncapi-check.mjs <document.yaml> [records.json]
//
// records.json is [{"channel": "<channel id>", "headers": {...} | null, "payload": ...}]. Per
// AsyncAPI, a message on a channel is valid against exactly one of the channel's messages: each
// record is checked against every message of its channel (headers and payload), with Ajv and
// ajv-formats, the JSON Schema validator the parser itself validates schemas with (draft-07, which
// the AsyncAPI schema format extends).
import { readFileSync } from 'node:fs';
import { Parser, fromFile } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const [documentPath, recordsPath] = process.argv.slice(2);
const { document, diagnostics } = await fromFile(new Parser(), documentPath).parse();

const result = {
  diagnostics: diagnostics.map((d) => ({
    severity: d.severity,
    code: String(d.code),
    message: d.message,
    path: d.path.join('/'),
  })),
  channels: {},
  operations: {},
  records: [],
};

if (document) {
  for (const channel of document.channels().all()) {
    result.channels[channel.id()] = {
      address: channel.address(),
      servers: channel.servers().all().map((s) => s.id()),
      messages: channel.messages().all().map((m) => ({ id: m.id(), name: m.name() })),
    };
  }
  for (const operation of document.operations().all()) {
    result.operations[operation.id()] = {
      action: operation.action(),
      channels: operation.channels().all().map((c) => c.id()),
      messages: operation.messages().all().map((m) => m.id()),
    };
  }
  if (recordsPath) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const compiled = new Map();
    const validator = (schema) => {
      if (!schema) return null;
      if (!compiled.has(schema)) compiled.set(schema, ajv.compile(schema.json()));
      return compiled.get(schema);
    };
    const records = JSON.parse(readFileSync(recordsPath, 'utf8'));
    for (const record of records) {
      const channel = document.channels().get(record.channel);
      const checked = { channel: record.channel, matches: [], errors: {} };
      if (!channel) {
        checked.errors['(channel)'] = 'no such channel';
      } else {
        for (const message of channel.messages().all()) {
          const errors = [];
          const payload = validator(message.payload());
          if (payload && !payload(record.payload)) errors.push(...payload.errors);
          const headers = validator(message.headers());
          if (headers && !headers(record.headers ?? {})) errors.push(...headers.errors);
          if (errors.length === 0) {
            checked.matches.push(message.name() ?? message.id());
          } else {
            checked.errors[message.id()] = errors
              .slice(0, 5)
              .map((e) => `${e.instancePath} ${e.message}`);
          }
        }
      }
      result.records.push(checked);
    }
  }
}

process.stdout.write(JSON.stringify(result) + '\n');
