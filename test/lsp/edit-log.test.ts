import { strict as assert } from 'node:assert';
import { Project, applyEditRecords, type TextEditRecord } from '../../server/src/lsp/project';

describe('project edit log (didChange ranges for incremental parsing)', () => {
  function project(open: Map<string, string>) {
    return new Project((p) =>
      open.has(p) ? { uri: 'file://' + p, path: p, text: open.get(p)!, version: 1, languageId: 'nginx' } : undefined,
    );
  }

  it('hands the edits since the cached text, in order, then restarts the log at the new text', () => {
    const open = new Map([['/a.conf', 'events {}\n']]);
    const p = project(open);
    const t0 = open.get('/a.conf')!;
    const e1: TextEditRecord[] = [{ offset: 8, deleted: 0, inserted: ' ' }];
    const t1 = applyEditRecords(t0, e1);
    p.noteEdits('/a.conf', t0, e1);
    const e2: TextEditRecord[] = [
      { offset: 0, deleted: 6, inserted: 'http' },
      { offset: 4, deleted: 0, inserted: 'x' },
    ];
    const t2 = applyEditRecords(t1, e2);
    p.noteEdits('/a.conf', t1, e2);
    assert.equal(t2, 'httpx { }\n');
    assert.deepEqual(p.takeEdits('/a.conf', t0, t2), [...e1, ...e2]);
    // The log now starts at t2: asking again from t0 gives nothing, from t2 an empty list.
    assert.equal(p.takeEdits('/a.conf', t0, t2), undefined);
    assert.deepEqual(p.takeEdits('/a.conf', t2, t2), []);
  });

  it('refuses edits that do not lead to the text asked for, or start from another text', () => {
    const open = new Map([['/a.conf', 'abc']]);
    const p = project(open);
    p.noteEdits('/a.conf', 'abc', [{ offset: 3, deleted: 0, inserted: 'd' }]);
    assert.equal(p.takeEdits('/a.conf', 'abc', 'abcde'), undefined);
    p.noteEdits('/a.conf', 'abc', [{ offset: 3, deleted: 0, inserted: 'd' }]);
    assert.equal(p.takeEdits('/a.conf', 'xyz', 'xyzd'), undefined);
    p.noteEdits('/a.conf', 'abc', [{ offset: 0, deleted: 1, inserted: 'x' }]);
    assert.equal(p.takeEdits('/a.conf', 'abc', 'abx'), undefined, 'same length, different text');
    p.forgetEdits('/a.conf');
    assert.equal(p.takeEdits('/a.conf', 'abc', 'abc'), undefined);
  });

  it('hands nothing for a change that replaced the whole text (a full analysis follows), then logs again from it', () => {
    const open = new Map([['/a.conf', 'events {}\n']]);
    const p = project(open);
    const t0 = open.get('/a.conf')!;
    const t1 = 'http {}\n';
    p.noteEdits('/a.conf', t0, [{ offset: 0, deleted: t0.length, inserted: t1 }]);
    assert.equal(p.takeEdits('/a.conf', t0, t1), undefined);
    // A replacement of all but the first character is still an edit worth handing over.
    const t2 = 'hXXX {}\n';
    p.noteEdits('/a.conf', t1, [{ offset: 1, deleted: t1.length - 1, inserted: t2.slice(1) }]);
    assert.deepEqual(p.takeEdits('/a.conf', t1, t2), [{ offset: 1, deleted: t1.length - 1, inserted: t2.slice(1) }]);
  });

  it('checks a single edit in place: head, inserted text and tail must all match', () => {
    const open = new Map([['/a.conf', 'abcdef']]);
    const p = project(open);
    const edit: TextEditRecord[] = [{ offset: 3, deleted: 1, inserted: 'XY' }];
    for (const wrong of ['zbcXYef', 'abcXYeg', 'abcXZef', 'abcXYde']) {
      p.forgetEdits('/a.conf');
      p.noteEdits('/a.conf', 'abcdef', edit);
      assert.equal(p.takeEdits('/a.conf', 'abcdef', wrong), undefined, wrong);
    }
    p.forgetEdits('/a.conf');
    p.noteEdits('/a.conf', 'abcdef', edit);
    assert.deepEqual(p.takeEdits('/a.conf', 'abcdef', 'abcXYef'), edit);
  });

  it('hands the edits for the text the document said they made; any other text is still checked', () => {
    const open = new Map([['/a.conf', 'abcdef']]);
    const p = project(open);
    const edit: TextEditRecord[] = [{ offset: 3, deleted: 1, inserted: 'XY' }];
    const after = applyEditRecords('abcdef', edit);
    p.noteEdits('/a.conf', 'abcdef', edit, after);
    assert.deepEqual(p.takeEdits('/a.conf', 'abcdef', after), edit);
    for (const wrong of ['zbcXYef', 'abcXZef']) {
      p.forgetEdits('/a.conf');
      p.noteEdits('/a.conf', 'abcdef', edit, after);
      assert.equal(p.takeEdits('/a.conf', 'abcdef', wrong), undefined, wrong);
    }
    // Two didChange notifications before one analysis: the log holds both, `after` is the last text.
    p.forgetEdits('/a.conf');
    const second: TextEditRecord[] = [{ offset: 0, deleted: 0, inserted: '#' }];
    const after2 = applyEditRecords(after, second);
    p.noteEdits('/a.conf', 'abcdef', edit, after);
    p.noteEdits('/a.conf', after, second, after2);
    assert.deepEqual(p.takeEdits('/a.conf', 'abcdef', after2), [...edit, ...second]);
  });
});
