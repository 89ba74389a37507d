/**
 * schema/protocol.schema.json as a validator for the tests: the fake
 * helper's messages (and what the frontend sends it) must be valid
 * messages of the protocol, so the fake cannot drift from the real helper.
 */
import Ajv2020 from 'ajv/dist/2020';
import * as fs from 'fs';
import * as path from 'path';

const schema = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '..', '..', '..', 'schema', 'protocol.schema.json'),
    'utf8'
  )
);

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema);
const id = schema.$id as string;

/** Validators of the schema's definitions (`Request`, `Reply`, `Event`...). */
export function validator(definition: string): (data: unknown) => string[] {
  const validate = ajv.getSchema(`${id}#/$defs/${definition}`);
  if (!validate) {
    throw new Error(`no definition ${definition} in the protocol schema`);
  }
  return data =>
    validate(data)
      ? []
      : (validate.errors ?? []).map(
          error => `${error.instancePath || '/'} ${error.message ?? ''}`
        );
}

/** Throw when `data` is not a valid `definition` of the protocol. */
export function assertValid(definition: string, data: unknown): void {
  const errors = validator(definition)(data);
  if (errors.length > 0) {
    throw new Error(
      `not a valid ${definition} of schema/protocol.schema.json: ${errors
        .slice(0, 5)
        .join('; ')}\n${JSON.stringify(data).slice(0, 400)}`
    );
  }
}

const pascal = (name: string) =>
  name
    .split('_')
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * The schema definition a message should match: `snapshot` →
 * `SnapshotRequest`, `snapshot_reply` → `SnapshotReply`, an event
 * `cell` → `CellEvent` (one definition, so a failure says what is wrong
 * instead of listing every branch of a `oneOf`).
 */
export function definitionOf(
  kind: 'Request' | 'Reply' | 'Event',
  data: Record<string, unknown>
): string {
  const type = String(data.type ?? '');
  const name =
    kind === 'Event'
      ? `${pascal(String(data.event ?? ''))}Event`
      : kind === 'Reply'
        ? pascal(type)
        : `${pascal(type)}Request`;
  return ajv.getSchema(`${id}#/$defs/${name}`) ? name : kind;
}

/** `assertValid` against the message's own definition. */
export function assertMessage(
  kind: 'Request' | 'Reply' | 'Event',
  data: Record<string, unknown>
): void {
  assertValid(definitionOf(kind, data), data);
}
