/**
 * The language server's path for edited HAProxy documents: Project.analyzeRoot takes the edits the
 * server recorded (noteEdits) and updates the last analysis line by line; the findings are those
 * of a fresh analysis, and a whole-text replacement (what a client sends for "full" sync) is
 * analysed from scratch.
 */
import { strict as assert } from 'node:assert';
import { Project, applyEditRecords, type TextEditRecord } from '../../server/src/lsp/project';

const CONFIG =
  [
    'global',
    '    maxconn 100',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    '',
    'frontend fe',
    '    bind :80',
    '    default_backend app',
    '',
    'backend app',
    '    server a 10.0.0.1:80 check',
    '',
  ].join('\n') + '\n';

describe('project: edited HAProxy documents', () => {
  const PATH = '/etc/haproxy/haproxy.cfg';

  function setup() {
    const open = new Map([[PATH, CONFIG]]);
    const project = new Project((p) =>
      open.has(p) ? { uri: 'file://' + p, path: p, text: open.get(p)!, version: 1, languageId: 'haproxy' } : undefined,
    );
    const edit = (edits: TextEditRecord[]) => {
      const before = open.get(PATH)!;
      project.noteEdits(PATH, before, edits);
      open.set(PATH, applyEditRecords(before, edits));
      project.analyzeRoot(PATH, 'haproxy');
      return open.get(PATH)!;
    };
    project.analyzeRoot(PATH, 'haproxy');
    return { project, edit };
  }

  it('a one-character edit is applied line by line and gives the findings of a fresh analysis', () => {
    const { project, edit } = setup();
    assert.deepEqual(project.findingsFor(PATH), []);
    const at = CONFIG.indexOf('    server a') + '    serve'.length;
    const text = edit([{ offset: at, deleted: 0, inserted: 'x' }]);
    assert.equal(project.haproxyIncremental.get(PATH)?.lastKind, 'line');
    const got = project.findingsFor(PATH);
    assert.ok(
      got.some((f) => f.code === 'haproxy/unknown-keyword'),
      got.map((f) => f.code).join(', '),
    );
    assert.deepEqual(got, project.service.analyzeHaproxy([{ path: PATH, text }]).findings);
    // the tree handed to symbols and folding is the analysis's own, of the new text
    assert.equal(project.haproxyTree(PATH, text).text, text);
    const back = edit([{ offset: at, deleted: 1, inserted: '' }]);
    assert.equal(back, CONFIG);
    assert.equal(project.haproxyIncremental.get(PATH)?.lastKind, 'line');
    assert.deepEqual(project.findingsFor(PATH), []);
  });

  it('a whole-text replacement is analysed from scratch', () => {
    const { project, edit } = setup();
    const text = edit([{ offset: 0, deleted: CONFIG.length, inserted: CONFIG.replace('check', 'check inter 2s') }]);
    assert.equal(project.haproxyIncremental.get(PATH)?.lastKind, 'full');
    assert.deepEqual(project.findingsFor(PATH), project.service.analyzeHaproxy([{ path: PATH, text }]).findings);
  });

  it('new settings start from scratch', () => {
    const { project, edit } = setup();
    project.setSettings({ ...project.settings, haproxyVersion: '2.8' });
    const at = CONFIG.indexOf('maxconn') + 1;
    const text = edit([{ offset: at, deleted: 0, inserted: 'q' }]);
    assert.equal(project.haproxyIncremental.get(PATH)?.lastKind, 'full');
    assert.deepEqual(project.findingsFor(PATH), project.service.analyzeHaproxy([{ path: PATH, text }]).findings);
  });
});
