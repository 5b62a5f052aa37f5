import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PEERS_DIR, SAMPLES_DIR } from '../../test/fixtures.js';
import { MboxSplitter } from '../sources/mboxSplitter.js';
import { fastPathApplies, NotAMailError, parseRfc822WithPath } from './rfc822.js';

function isFlowed(bytes: Buffer): boolean {
  const head = bytes.subarray(0, Math.max(0, bytes.indexOf('\n\n')) || bytes.length).toString('latin1');
  return /^content-type:[^\n]*(\n[ \t][^\n]*)*format\s*=\s*"?flowed/im.test(head);
}

function files(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) files(p, out);
    else if (!n.endsWith('.md')) out.push(p);
  }
  return out;
}

describe('fast path and mailparser give the same Message', () => {
  test('every peer-corpus mail where the fast path applies', async () => {
    let compared = 0;
    let total = 0;
    let flowed = 0;
    for (const f of [...files(PEERS_DIR), ...files(SAMPLES_DIR)]) {
      const s = new MboxSplitter();
      for (const m of [...s.push(readFileSync(f)), ...s.end()]) {
        total++;
        if (!fastPathApplies(m.bytes)) continue;
        // format=flowed is where the two differ on purpose: mailparser's decoder joins a flowed
        // line to the next even across a change of quote depth, which RFC 3676 (4.5) forbids and
        // which moves a reply's first line into the quote above it. The fast path follows the
        // RFC (transfer.test.ts checks it on a real flowed reply).
        if (isFlowed(m.bytes)) {
          flowed++;
          continue;
        }
        const prov = { source: relative(PEERS_DIR, f), format: 'mbox' as const, offset: m.offset };
        let fast;
        try {
          fast = await parseRfc822WithPath(m.bytes, prov, { path: 'fast' });
        } catch (err) {
          assert.ok(err instanceof NotAMailError, String(err));
          await assert.rejects(parseRfc822WithPath(m.bytes, prov, { path: 'mime' }), NotAMailError);
          continue;
        }
        const mime = await parseRfc822WithPath(m.bytes, prov, { path: 'mime' });
        assert.equal(fast.path, 'fast');
        assert.equal(mime.path, 'mime');
        assert.deepEqual(fast.message, mime.message, `${prov.source} @${m.offset}`);
        compared++;
      }
    }
    // Most list mail is single-part text/plain: the fast path must cover the bulk.
    assert.ok(compared > 250, `compared ${compared} of ${total} (${flowed} flowed)`);
  });

  test('the default path is the fast one when it applies', async () => {
    const bytes = readFileSync(join(PEERS_DIR, 'public-inbox/plack-qp.eml'));
    assert.equal(fastPathApplies(bytes), true);
    assert.equal((await parseRfc822WithPath(bytes, { source: 't', format: 'eml', offset: 0 })).path, 'fast');
    const multi = readFileSync(join(PEERS_DIR, 'public-inbox/msg_iter-order.eml'));
    assert.equal(fastPathApplies(multi), false);
    assert.equal((await parseRfc822WithPath(multi, { source: 't', format: 'eml', offset: 0 })).path, 'mime');
  });
});
