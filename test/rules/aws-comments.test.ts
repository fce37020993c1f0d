/**
 * Terraform has three comment forms, `#`, `//` and `/* ... *\/`: suppression directives and the
 * `wslb: websocket` marker work in all three in `.tf` files, and only `#` elsewhere. The editor's
 * "Disable for this line/file" actions extend an existing directive in any of these forms.
 */
import { strict as assert } from 'node:assert';
import { initAwsParsers } from '../../server/src/service';
import { buildAwsConfig } from '../../server/src/service/model/aws-build';
import { disableFileEdit, disableNextLineEdit } from '../../server/src/service/features/actions';
import { commentSyntaxOf, parseSuppressions } from '../../server/src/service/suppress';
import { applyEdits } from '../../server/src/service/fixes/apply';
import { LineIndex } from '../../server/src/service/text';
import { analyzeText } from '../helpers/analyze';

before(() => initAwsParsers());

const DD = 'aws/ws-deregistration-delay';
const SS = 'aws/ws-no-slow-start';

/** A WebSocket target group (by name) with a short deregistration delay and no slow start. */
function tg(before: string, inside = ''): string {
  return `${before}resource "aws_lb_target_group" "ws" {\n  protocol = "HTTP"\n${inside}  deregistration_delay = 30\n}\n`;
}

const codes = (text: string, path = '/i/main.tf') => analyzeText('aws', text, {}, path).map((f) => f.code);

describe('AWS: Terraform comment forms', () => {
  it('the rules fire on the bare target group (the baseline the suppressions remove)', () => {
    const c = codes(tg(''));
    assert.ok(c.includes(DD) && c.includes(SS), c.join(', '));
  });

  it('`//` line comments carry disable-next-line, disable-line and disable-file', () => {
    assert.ok(!codes(tg('', `  // wslb-disable-next-line ${DD} -- drains with 1001\n`)).includes(DD));
    const endOfLine = tg('').replace(
      'deregistration_delay = 30',
      `deregistration_delay = 30 // wslb-disable-line ${DD} -- drains`,
    );
    assert.ok(!codes(endOfLine).includes(DD));
    const file = codes(tg(`// wslb-disable-file ${DD}, ${SS} -- reviewed\n`));
    assert.ok(!file.includes(DD) && !file.includes(SS), file.join(', '));
    // An id list that names another rule silences only that one.
    assert.ok(codes(tg('', `  // wslb-disable-next-line ${SS}\n`)).includes(DD));
  });

  it('block comments: on one line, over several lines (next line = after the comment), at a line end', () => {
    assert.ok(!codes(tg('', `  /* wslb-disable-next-line ${DD} -- drains */\n`)).includes(DD));
    assert.ok(!codes(tg('', `  /* wslb-disable-next-line ${DD} */\n`)).includes(DD));
    const multi = tg(
      '',
      `  /* wslb-disable-next-line ${DD} -- the application\n     closes its sockets with 1001 on SIGTERM */\n`,
    );
    assert.ok(!codes(multi).includes(DD));
    const sup = parseSuppressions(multi, undefined, 'hcl');
    const target = new LineIndex(multi).positionAt(multi.indexOf('deregistration_delay')).line;
    assert.deepEqual([...sup.lines.keys()], [target]);
    assert.deepEqual([...(sup.lines.get(target) as Set<string>)], [DD], 'the `*/` is not read as a rule id');
    const endOfLine = tg('').replace(
      'deregistration_delay = 30',
      `deregistration_delay = 30 /* wslb-disable-line ${DD} */`,
    );
    assert.ok(!codes(endOfLine).includes(DD));
    assert.ok(!codes(tg(`/* wslb-disable-file ${DD} */\n`)).includes(DD));
  });

  it('`//` and `/*` mean nothing outside Terraform files', () => {
    assert.equal(commentSyntaxOf('/i/main.tf'), 'hcl');
    assert.equal(commentSyntaxOf('/i/template.yaml'), 'hash');
    assert.equal(commentSyntaxOf('/etc/nginx/nginx.conf'), 'hash');
    const yaml = `Resources:\n  WsTg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      Protocol: HTTP\n      Name: "ws // wslb-disable-file ${DD}"\n      TargetGroupAttributes:\n        - Key: deregistration_delay.timeout_seconds\n          Value: '10'\n`;
    assert.ok(codes(yaml, '/i/template.yaml').includes(DD));
    assert.equal(parseSuppressions(`// wslb-disable-file ${DD}\n`).file, null);
  });

  it('the `wslb: websocket` marker in `//` and block comments', () => {
    const plain = (comment: string) => `${comment}resource "aws_lb_target_group" "api" {\n  protocol = "HTTP"\n}\n`;
    const carries = (comment: string) =>
      buildAwsConfig([{ path: '/i/main.tf', text: plain(comment) }]).targetGroups[0].websocket.carries;
    assert.equal(carries(''), false);
    assert.equal(carries('// wslb: websocket\n'), true);
    assert.equal(carries('/* wslb: websocket */\n'), true);
    assert.equal(carries('/**\n * wslb: websocket\n */\n'), true);
    assert.equal(carries('// wslb: websocket\n/* the chat pool */\n'), true, 'another comment in between');
    assert.equal(carries('// not a marker: wslb websocket\n'), false);
  });

  it('"Disable for this line/file" extend an existing `//` or block directive in Terraform', () => {
    const apply = (text: string, e: ReturnType<typeof disableNextLineEdit>) => applyEdits(text, [e]);
    const line = (text: string) => new LineIndex(text).positionAt(text.indexOf('deregistration_delay')).line;
    const slash = tg('', `  // wslb-disable-next-line ${SS} -- warm\n`);
    const out = apply(slash, disableNextLineEdit(slash, line(slash), DD, undefined, 'hcl'));
    assert.match(out, new RegExp(`// wslb-disable-next-line ${SS}, ${DD} -- warm\\n  deregistration_delay`));
    const block = tg('', `  /* wslb-disable-next-line ${SS} */\n`);
    assert.match(
      apply(block, disableNextLineEdit(block, line(block), DD, undefined, 'hcl')),
      new RegExp(`/\\* wslb-disable-next-line ${SS}, ${DD} \\*/`),
    );
    // Already silenced: nothing to add.
    assert.equal(disableNextLineEdit(slash, line(slash), SS, undefined, 'hcl').newText, '');
    // Outside Terraform a `//` line is not a directive: a new `#` line is inserted.
    assert.match(disableNextLineEdit(slash, line(slash), DD).newText, /^ {2}# wslb-disable-next-line/);
    const file = tg(`// wslb-disable-file ${SS} -- reviewed\n`);
    const fe = disableFileEdit(file, DD, undefined, 'hcl');
    assert.match(apply(file, fe), new RegExp(`^// wslb-disable-file ${SS}, ${DD} -- reviewed\\n`));
    assert.ok(!codes(apply(file, fe)).includes(DD));
  });
});
