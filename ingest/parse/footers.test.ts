import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { stripFooters } from './footers.js';

const MAILMAN = '_______________________________________________\nkvmarm mailing list\nkvmarm@lists.cs.columbia.edu\nhttps://lists.cs.columbia.edu/mailman/listinfo/kvmarm\n';

describe('stripFooters', () => {
  test('mailman footer right after the signature (no blank line), as kvmarm sends it', () => {
    const body = 'Thanks,\n\nalex.\n' + MAILMAN;
    assert.deepEqual(stripFooters(body), { body: 'Thanks,\n\nalex.\n', footers: [MAILMAN] });
  });

  test('vger majordomo footer', () => {
    const footer =
      '--\nTo unsubscribe from this list: send the line "unsubscribe linux-kernel" in\n' +
      'the body of a message to majordomo@vger.kernel.org\n' +
      'More majordomo info at  http://vger.kernel.org/majordomo-info.html\n' +
      'Please read the FAQ at  http://www.tux.org/lkml/\n';
    assert.deepEqual(stripFooters('Acked-by: X <x@y>\n\n' + footer), { body: 'Acked-by: X <x@y>\n', footers: [footer] });
  });

  test('stacked footers from two lists come off in order', () => {
    const google =
      '-- \nYou received this message because you are subscribed to the Google Groups "kasan-dev" group.\n' +
      'To unsubscribe from this group and stop receiving emails from it, send an email to kasan-dev+unsubscribe@googlegroups.com.\n';
    const r = stripFooters('Looks good.\n' + google + MAILMAN);
    assert.equal(r.body, 'Looks good.\n');
    assert.deepEqual(r.footers, [google, MAILMAN]);
  });

  test('a quoted footer in the middle of a reply, or a rule of underscores in text, stays', () => {
    const quoted = '> ' + MAILMAN.split('\n').join('\n> ') + '\nMy reply below the quote.\n';
    assert.deepEqual(stripFooters(quoted), { body: quoted, footers: [] });
    const table = 'Results:\n______________________________\nmode   time\nfast   1.2s\n\nmore text after the table\nand more\nand more\nand more\nand more\nand more\nand more\n';
    assert.deepEqual(stripFooters(table), { body: table, footers: [] });
  });

  test('nothing to strip: body unchanged', () => {
    assert.deepEqual(stripFooters('hello\n'), { body: 'hello\n', footers: [] });
    assert.deepEqual(stripFooters(''), { body: '', footers: [] });
  });
});
