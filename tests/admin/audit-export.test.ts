/**
 * The audit export: GET /admin/audit/export as CSV and JSON Lines, filtered as on the Audit page,
 * admins only; the GraphQL field that hands out its address; and 10,000 rows streamed a keyset
 * page at a time on SQLite and PostgreSQL, with the first bytes out before the last page is read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { AppDatabase } from '../../db/database.ts';
import { IssueApiToken, MeQuery } from '../../admin/src/api/operations.ts';
import { type AuditPages, auditExportStream, type ExportEnd } from '../../server/admin/audit-export/stream.ts';
import { AdminAuditStore, type AuditCursor, type AuditFilter } from '../../server/admin/stores/audit.ts';
import { AuditStore } from '../../server/audit/audit-store.ts';
import { backends } from '../db/backends.ts';
import { capturedLog } from '../support/captured-log.ts';
import { eventually } from '../support/eventually.ts';
import { type Person, signIn } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, codes, postGraphQL, signInAdmin } from './support.ts';

/** RFC 4180 read back strictly: quoted cells may hold commas, doubled quotes and line breaks; every record ends in CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let read = 0;
  for (const [whole, cell = '', end] of text.matchAll(/("(?:[^"]|"")*"|[^",\r\n]*)(,|\r\n)/gy)) {
    read += whole.length;
    record.push(cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell);
    if (end === '\r\n') {
      records.push(record);
      record = [];
    }
  }
  if (read !== text.length) throw new Error(`not RFC 4180 CSV after ${read} characters: ${text.slice(read, read + 40)}`);
  return records;
}

/** CSV records as objects keyed by the header row. */
function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/**
 * Rows written straight into the table, as many as a busy organisation collects; `at(i)` repeats
 * instants to exercise the id tiebreak, and `padding` makes each row's arguments that many bytes longer.
 */
async function insertAuditRows(db: AppDatabase, count: number, tool: string, at: (i: number) => Date, padding = 0) {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    serverName: 'Bulk',
    tool,
    toolCallId: `${tool}-${i}`,
    arguments: padding ? { i, padding: 'x'.repeat(padding) } : { i },
    decision: 'auto' as const,
    decidedBy: 'policy',
    requestedAt: at(i),
    decidedAt: at(i),
  }));
  for (let i = 0; i < rows.length; i += 500) await db.drizzle.insert(db.tables.toolCallAudit).values(rows.slice(i, i + 500));
}

/** Reads a body chunk by chunk, as a slow download does, and returns its text. */
async function readAll(body: ReadableStream<Uint8Array>, onChunk: (chunkIndex: number) => void = () => {}): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let index = 0;
  for await (const chunk of body) {
    onChunk(index++);
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

describe('GET /admin/audit/export', () => {
  let server: TestServer;
  let ada: Admin;
  let uma: Person;
  let adaId: string;
  const { log, lines: logged } = capturedLog('info');
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));

  beforeAll(async () => {
    server = await startTestServer({}, { log });
    ada = await signInAdmin(server.url);
    uma = await signIn(server.url, 'uma@countersign.dev');
    adaId = (await ada.admin(MeQuery)).me!.id;
    const umaId = (await uma.client.api.auth.me.query()).id;
    const chat = await uma.client.api.chats.create.mutate({});
    const audit = new AuditStore(server.db);
    // Text from people and tools that a careless CSV writer would break, or a spreadsheet would run.
    const rows = [
      { tool: 'notes_create', decision: 'approved', reason: null, args: { text: 'two\nlines, "quoted"' } },
      { tool: 'notes_create', decision: 'rejected', reason: 'no, not "that" one', args: { title: '=1+1' } },
      { tool: 'notes_delete', decision: 'denied', reason: '=HYPERLINK("http://evil.test","open")', args: -1 },
      { tool: 'calculate', decision: 'edited', reason: '@SUM(A1:A9)', args: '+cmd' },
      { tool: 'calculate', decision: 'auto', reason: '\tindented\r\nand broken', args: null },
    ] as const;
    for (const [i, row] of rows.entries()) {
      await audit.recordDecision({
        userId: umaId,
        chatId: chat.id,
        serverId: 'countersign-internal',
        serverName: 'Countersign',
        tool: row.tool,
        toolCallId: `call-${i}`,
        arguments: row.args,
        decision: row.decision,
        decidedBy: row.decision === 'auto' ? 'policy' : umaId,
        reason: row.reason,
        requestedAt: at(i + 1),
        decidedAt: at(i + 1),
      });
    }
    await audit.claimStart('call-0', at(1));
    await audit.recordFinish('call-0', { outcome: 'error', error: 'disk full, try later', at: at(1) });
  }, 60_000);
  afterAll(async () => {
    await uma.client.close();
    await server[Symbol.asyncDispose]();
  });

  const exportOf = (query: string, headers: Record<string, string> = { cookie: ada.cookie }) =>
    fetch(`${server.url}/admin/audit/export?${query}`, { headers });

  test('CSV: a header row, RFC 4180 quoting, formulas defused, every field of each decision', async () => {
    const response = await exportOf('format=csv&serverId=countersign-internal&to=2026-01-01T13:00:00Z');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="countersign-audit-start-2026-01-01T130000Z.csv"');
    const text = await response.text();
    expect(text.split('\r\n')[0]).toBe(
      'requested_at,decided_at,started_at,finished_at,user_email,user_name,user_id,chat_id,server_name,server_id,tool,tool_call_id,decision,decided_by,reason,outcome,error,arguments',
    );
    const rows = csvObjects(text);
    expect(rows.map((r) => r.tool_call_id)).toEqual(['call-0', 'call-1', 'call-2', 'call-3', 'call-4']);
    expect(rows[0]).toMatchObject({
      requested_at: '2026-01-01T12:01:00.000Z',
      user_email: 'uma@countersign.dev',
      server_name: 'Countersign',
      decision: 'approved',
      outcome: 'error',
      error: 'disk full, try later',
      reason: '',
      arguments: JSON.stringify({ text: 'two\nlines, "quoted"' }),
    });
    expect(rows.map((r) => r.reason)).toEqual([
      '',
      'no, not "that" one',
      `'=HYPERLINK("http://evil.test","open")`,
      "'@SUM(A1:A9)",
      "'\tindented\r\nand broken",
    ]);
    expect(rows.map((r) => r.arguments)).toEqual([expect.any(String), '{"title":"=1+1"}', "'-1", `"+cmd"`, '']);
    expect(rows[4]).toMatchObject({ decision: 'auto', decided_by: 'policy' });
  });

  test('JSON Lines: one object per call with the same fields, arguments as JSON', async () => {
    const response = await exportOf('format=jsonl&serverId=countersign-internal&from=2026-01-01T12:00:00Z&to=2026-01-01T13:00:00Z');
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="countersign-audit-2026-01-01T120000Z-2026-01-01T130000Z.jsonl"',
    );
    const text = await response.text();
    const lines = jsonLines(text);
    expect(lines).toHaveLength(5);
    const csvHeader = parseCsv(await (await exportOf('format=csv&tool=none')).text())[0];
    expect(Object.keys(lines[0]!)).toEqual(csvHeader!);
    expect(lines[0]).toMatchObject({ tool_call_id: 'call-0', arguments: { text: 'two\nlines, "quoted"' }, outcome: 'error' });
    expect(lines[2]).toMatchObject({ reason: '=HYPERLINK("http://evil.test","open")', arguments: -1, outcome: null });
  });

  test('filters as on the Audit page: person, server, tool, decision (either case) and time', async () => {
    const ids = async (query: string) => jsonLines(await (await exportOf(`format=jsonl&${query}`)).text()).map((r) => r.tool_call_id);
    const umaId = (await uma.client.api.auth.me.query()).id;
    expect(await ids(`serverId=countersign-internal&userId=${umaId}&tool=calculate`)).toEqual(['call-3', 'call-4']);
    expect(await ids('serverId=countersign-internal&decision=REJECTED')).toEqual(['call-1']);
    expect(await ids('serverId=countersign-internal&decision=denied&tool=')).toEqual(['call-2']);
    expect(await ids('from=2026-01-01T12:02:00Z&to=2026-01-01T12:04:00Z')).toEqual(['call-1', 'call-2']);
    expect(await ids(`userId=${adaId}`)).toEqual([]);
    // Nothing matches: CSV still has its header, JSON Lines is empty.
    expect(await (await exportOf('format=csv&tool=nothing-by-this-name')).text()).toStartWith('requested_at,');
    expect(await (await exportOf('format=jsonl&tool=nothing-by-this-name')).text()).toBe('');
  });

  test('a bad parameter is refused with a sentence that names it', async () => {
    const refusals = {
      '': 'Say which format to export: add format=csv or format=jsonl.',
      'format=xlsx': 'The audit export cannot start: format: must be csv or jsonl.',
      'format=csv&decision=maybe': 'The audit export cannot start: decision: must be one of approved, edited, rejected, auto, denied.',
      'format=csv&from=yesterday': 'The audit export cannot start: from: must be an ISO 8601 instant such as 2026-01-31T12:00:00Z.',
      'format=csv&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z': 'The audit export cannot start: to: must be after from.',
      [`format=csv&tool=${'t'.repeat(129)}`]: 'The audit export cannot start: tool: must be at most 128 characters.',
      'format=csv&user=ada':
        'The audit export cannot start: parameters: user is not one of format, userId, serverId, tool, decision, from, to.',
      'format=csv&tool=a&tool=b': 'Give each parameter once: tool came more than once.',
    };
    for (const [query, sentence] of Object.entries(refusals)) {
      const response = await exportOf(query);
      expect({ query, status: response.status, text: (await response.text()).trim() }).toEqual({ query, status: 400, text: sentence });
    }
  });

  test('admins only: a person without the role gets 403, nobody signed in 401, as the GraphQL API says', async () => {
    const forbidden = await exportOf('format=csv', { cookie: uma.cookie });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toBe('This needs the admin role.\n');
    const stranger = await exportOf('format=csv', {});
    expect(stranger.status).toBe(401);
    expect(await stranger.text()).toBe('Sign in first: no valid session or API token was sent.\n');
    // Who is asking is checked before what: a non-admin's bad parameters reveal nothing either.
    expect((await exportOf('format=nonsense', { cookie: uma.cookie })).status).toBe(403);
  });

  test("an admin's API token exports; a service account's token is refused", async () => {
    const token = async (input: { label: string; userId?: string; serviceAccountName?: string }) =>
      (await ada.admin(IssueApiToken, { input })).issueApiToken.token;
    const adminToken = await token({ label: 'Ada scripts', userId: adaId });
    const reporting = await token({ label: 'Reporting', serviceAccountName: 'reporting' });
    const ok = await exportOf('format=jsonl&serverId=countersign-internal', { authorization: `Bearer ${adminToken}` });
    expect(ok.status).toBe(200);
    expect(jsonLines(await ok.text())).toHaveLength(5);
    expect((await exportOf('format=jsonl', { authorization: `Bearer ${reporting}` })).status).toBe(403);
  });

  test('GraphQL hands out the address with the filters; following it with the same credentials downloads', async () => {
    const query = `query($filter: AuditFilter) { auditExport(filter: $filter, format: CSV) { url format } }`;
    const filter = { serverId: 'countersign-internal', decision: 'REJECTED', from: '2026-01-01T12:00:00Z' };
    const answer = await postGraphQL(server.url, query, { headers: { cookie: ada.cookie }, variables: { filter } });
    const { url, format } = (answer.body.data?.auditExport ?? {}) as { url: string; format: string };
    expect(format).toBe('CSV');
    expect(url).toBe('/admin/audit/export?format=csv&serverId=countersign-internal&decision=rejected&from=2026-01-01T12%3A00%3A00.000Z');
    const rows = csvObjects(await (await fetch(new URL(url, server.url), { headers: { cookie: ada.cookie } })).text());
    expect(rows.map((r) => r.tool_call_id)).toEqual(['call-1']);

    const bad = await postGraphQL(server.url, query, {
      headers: { cookie: ada.cookie },
      variables: { filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
    });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await postGraphQL(server.url, query, { headers: { cookie: uma.cookie } }))).toEqual(['FORBIDDEN']);
  });

  test('10,000 rows stream to the end, and the export is logged with who asked for what', async () => {
    await insertAuditRows(server.db, 10_000, 'bulk', (i) => new Date(Date.UTC(2026, 1, 1) + Math.floor(i / 3)));
    const response = await exportOf('format=jsonl&tool=bulk');
    let lines = 0;
    const text = await readAll(response.body!);
    for (const character of text) if (character === '\n') lines++;
    expect(lines).toBe(10_000);
    const started = logged.find((l) => l.msg === 'audit export' && (l.filter as AuditFilter | undefined)?.tool === 'bulk');
    expect(started).toMatchObject({ by: adaId, format: 'jsonl' });
    await eventually(
      () => logged.some((l) => l.msg === 'audit export ended' && l.rows === 10_000 && l.ended === 'complete' && l.by === adaId),
      'the export to log its end',
    );
  }, 60_000);

  test('a download that is abandoned stops reading the log', async () => {
    // 40 MB: more than the sockets on both ends buffer, so the server is still reading when the client leaves.
    await insertAuditRows(server.db, 10_000, 'wide', () => new Date(Date.UTC(2026, 2, 1)), 4_000);
    const abort = new AbortController();
    const response = await fetch(`${server.url}/admin/audit/export?format=csv&tool=wide`, {
      headers: { cookie: ada.cookie },
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    abort.abort();
    const ended = await eventually(
      () => logged.find((l) => l.msg === 'audit export ended' && l.ended === 'cancelled'),
      'the abandoned export to stop',
    );
    expect(ended.rows).toBeLessThan(10_000);
  }, 60_000);
});

for (const backend of backends) {
  describe(`the export stream on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
      // Three rows to an instant: pages end inside a run of equal instants, where only the id orders them.
      await insertAuditRows(db, 10_000, 'bulk', (i) => new Date(Date.UTC(2026, 1, 1) + Math.floor(i / 3)));
    }, 60_000);
    afterAll(() => dispose());

    /** The real store, counting its page reads and keeping them to await. */
    function countedPages() {
      const store = new AdminAuditStore(db);
      const reads: Promise<unknown>[] = [];
      const limits: number[] = [];
      const pages: AuditPages = {
        pageAfter(filter: AuditFilter, after: AuditCursor | null, limit: number) {
          limits.push(limit);
          const read = store.pageAfter(filter, after, limit);
          reads.push(read);
          return read;
        },
      };
      return { pages, reads, limits };
    }

    test('10,000 rows go out a page of 500 at a time, the first bytes before the later pages are read', async () => {
      const { pages, reads, limits } = countedPages();
      const ends: ExportEnd[] = [];
      const body = auditExportStream(pages, {}, 'jsonl', { onEnd: (end) => ends.push(end) });
      const readsAtChunk: number[] = [];
      const text = await readAll(body, () => readsAtChunk.push(reads.length));
      // The reader holds the first page while at most one more waits for it: reads follow the reader.
      expect(readsAtChunk[0]).toBeLessThanOrEqual(2);
      expect(readsAtChunk).toHaveLength(20);
      // 20 full pages, and one short read that says the log has ended.
      expect(reads).toHaveLength(21);
      expect(new Set(limits)).toEqual(new Set([500]));
      const ids = jsonLines(text).map((r) => r.tool_call_id);
      expect(ids).toHaveLength(10_000);
      expect(new Set(ids).size).toBe(10_000);
      const instants = jsonLines(text).map((r) => r.requested_at as string);
      expect(instants).toEqual([...instants].sort());
      expect(ends).toEqual([{ rows: 10_000, ended: 'complete' }]);
    }, 60_000);

    test('a reader that cancels stops the reads', async () => {
      const { pages, reads } = countedPages();
      const ends: ExportEnd[] = [];
      const reader = auditExportStream(pages, {}, 'csv', { onEnd: (end) => ends.push(end) }).getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toStartWith('requested_at,');
      await reader.cancel();
      await Promise.all(reads);
      expect(reads.length).toBeLessThanOrEqual(2);
      expect(ends).toEqual([{ rows: expect.any(Number), ended: 'cancelled' }]);
      expect(ends[0]!.rows).toBeLessThanOrEqual(1_000);
    });
  });
}
