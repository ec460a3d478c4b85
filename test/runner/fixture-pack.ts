// A small pack that exercises every kind of check: rejection with a message regex, a result
// union, a send channel, events and a stream with grammar, abort, correlation and budgets.
import { loadPackFromSourcesSync } from '../../specs/loader.ts';
import type { Pack } from '../../specs/model.ts';

export const DEMO_CONTRACT = `
conform: 1
app: demo
transport: electron
bridge:
  roots: [window.api]
window: { contextIsolation: true, sandbox: true, nodeIntegration: false }
channels:
  items:get:
    kind: invoke
    bridge: window.api.items.get
    params:
      - name: id
        schema: { type: string, minLength: 1 }
    returns: { $ref: "#/$defs/Item" }
    errors: { style: rejection, message: "^Error: ", when: "no item has that id" }
    invalidParams: rejected
    budgetMs: 100
  items:save:
    kind: invoke
    bridge: window.api.items.save
    params:
      - name: item
        schema: { $ref: "#/$defs/Item" }
    returns: { type: object, properties: { ok: { type: boolean } }, required: [ok] }
    errors:
      style: result-union
      error: { type: object, properties: { ok: { const: false }, error: { type: string } }, required: [ok, error], additionalProperties: false }
      discriminator: { ok: false }
    invalidParams: error-branch
  items:delete:
    kind: invoke
    bridge: window.api.items.delete
    params:
      - name: id
        schema: { type: string }
    returns: void
    errors: { style: rejection }
    prerequisites:
      - call: items:save
        args: [{ id: fixture, n: 1 }]
        as: item
    fixtures: { id: item.id }
  log:write:
    kind: send
    bridge: window.api.log
    params:
      - name: line
        schema: { type: string }
  chat:start:
    kind: invoke
    bridge: window.api.chat.start
    params:
      - name: requestId
        schema: { type: string }
    returns: void
    errors: { style: rejection }
  chat:stop:
    kind: invoke
    bridge: window.api.chat.stop
    params: []
    returns: void
    errors: { style: rejection }
  chat:token:
    kind: event
    bridge: window.api.chat.onToken
    payload: { type: object, properties: { requestId: { type: string }, text: { type: string } }, required: [requestId, text] }
  chat:done:
    kind: event
    bridge: window.api.chat.onDone
    payload: { type: object, properties: { requestId: { type: string } }, required: [requestId] }
  chat:aborted:
    kind: event
    bridge: window.api.chat.onAborted
    payload: { type: object, properties: { requestId: { type: string } }, required: [requestId] }
streams:
  chat:
    start: chat:start
    events: [chat:token, chat:done, chat:aborted]
    grammar: "chat:token* (chat:done | chat:aborted)"
    end: grammar
    abort: { call: chat:stop, terminal: chat:aborted }
    correlation:
      - { event: "*", field: requestId, equals: "param:requestId" }
    budget: { firstEventMs: 500, totalMs: 2000 }
$defs:
  Item:
    type: object
    properties: { id: { type: string }, n: { type: integer } }
    required: [id, n]
    additionalProperties: false
`;

export function demoPack(): Pack {
  return loadPackFromSourcesSync('demo', { 'contract.yaml': DEMO_CONTRACT });
}
