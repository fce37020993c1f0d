/**
 * Hovers on AWS attributes (Terraform and CloudFormation): AWS default, range, WebSocket meaning,
 * the value in this config and where it comes from, heartbeat comparison, AWS page, source section.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { buildAwsConfig } from '../../server/src/service/model/aws-build';
import { initAwsParsers } from '../../server/src/service/syntax/aws/treesitter';
import { doHover, type HoverResult } from '../../server/src/service/features/hover';
import { withDefaults } from '../../server/src/service/options';
import {
  AWS_ATTRIBUTES,
  awsFact,
  awsFactForCloudFormation,
  awsFactForTerraform,
} from '../../server/src/service/knowledge/aws';
import { SOURCE_SECTIONS } from '../../server/src/service/docs/sections';
import type { Finding } from '../../server/src/service/types';
import { at } from './util';

const FIX = nodePath.join(__dirname, '..', 'fixtures', 'aws-edge');

function hover(
  file: string,
  text: string,
  offset: number,
  heartbeatMs = 30_000,
  findings: Finding[] = [],
): HoverResult | null {
  const path = `/proj/${file}`;
  const aws = buildAwsConfig([{ path, text }]);
  return doHover({ language: 'aws', path, offset, aws, findings, options: withDefaults({ heartbeatMs }) });
}

describe('docs: AWS hovers', () => {
  before(() => initAwsParsers());
  const tf = readFileSync(nodePath.join(FIX, 'main.tf'), 'utf8');
  const cfn = readFileSync(nodePath.join(FIX, 'template.yaml'), 'utf8');

  it('Terraform idle_timeout: default, range, WebSocket meaning, value vs heartbeat, AWS page, source section', () => {
    const r = hover('main.tf', tf, at(tf, 'idle_timeout', 2));
    assert.ok(r);
    const md = r.markdown;
    assert.match(md, /### `idle_timeout` — Connection idle timeout/);
    assert.match(md, /\*\*AWS default:\*\* 60 s · \*\*Allowed:\*\* 1–4000 s/);
    assert.match(md, /without a WebSocket close frame/);
    assert.match(md, /`60` — written here/);
    assert.match(md, /one missed 30 s ping of margin/);
    assert.match(md, /edit-load-balancer-attributes\.html#connection-idle-timeout/);
    assert.match(md, /From the guide \*Load balancing WebSocket\*, section “Production config: nginx \+ AWS ALB”/);
    assert.equal(tf.slice(r.span.start, r.span.end), 'idle_timeout       = 60');
    // the comparison follows the heartbeat setting
    assert.match(hover('main.tf', tf, at(tf, 'idle_timeout', 2), 60_000)!.markdown, /at or below the 60 s heartbeat/);
  });

  it('a value from a variable default says where it comes from', () => {
    const md = hover('main.tf', tf, at(tf, 'deregistration_delay', 3))!.markdown;
    assert.match(md, /\*\*AWS default:\*\* 300 s · \*\*Allowed:\*\* 0–3600 s/);
    assert.match(md, /`120` — the default of `var\.delay` \(line 2\)/);
    assert.match(md, /get 120 s \(2 min\) before the target is released/);
    assert.match(md, /does not describe what happens to a still-open WebSocket/);
  });

  it('nested blocks: health_check interval and stickiness enabled', () => {
    const hc = hover('main.tf', tf, at(tf, 'interval', 1))!.markdown;
    assert.match(hc, /Health check interval/);
    assert.match(hc, /\*\*AWS default:\*\* 30 s · \*\*Allowed:\*\* 5–300 s/);
    assert.match(hc, /`10` — written here/);
    const st = hover('main.tf', tf, at(tf, 'enabled', 1))!.markdown;
    assert.match(st, /Sticky sessions/);
    assert.match(st, /handshake is an HTTP request/);
    assert.match(st, /From the guide \*Load balancing WebSocket\*, section “Sticky sessions and balancing algorithms”/);
  });

  it('the target group name: summary, WebSocket reasons, listener path, simulate link labelled as a model', () => {
    const r = hover('main.tf', tf, at(tf, '"ws"', 1))!;
    assert.match(r.markdown, /\*\*Target group `chat-ws`\*\*/);
    assert.match(r.markdown, /Carries WebSocket/);
    assert.match(r.markdown, /`slow_start`: `60` — written here/);
    assert.match(r.markdown, /routing algorithm: `round_robin` — not written, AWS's default/);
    assert.match(r.markdown, /listener `aws_lb_listener\.https`/);
    assert.match(r.markdown, /command:wslb\.simulate\?/);
    assert.match(r.markdown, /a model of documented AWS behaviour; AWS's implementation is not public/);
  });

  it('CloudFormation attribute lists and parameter defaults', () => {
    const idle = hover('template.yaml', cfn, at(cfn, 'idle_timeout.timeout_seconds', 3))!.markdown;
    assert.match(idle, /### `idle_timeout\.timeout_seconds`/);
    assert.match(idle, /`45` — written here/);
    assert.match(idle, /above the 30 s heartbeat without margin/);
    const delay = hover('template.yaml', cfn, at(cfn, '!Ref Delay', 2))!.markdown;
    assert.match(delay, /`30` — the default of `Delay` \(line 5\)/);
    const alg = hover('template.yaml', cfn, at(cfn, 'least_outstanding', 2))!.markdown;
    assert.match(alg, /whether an open WebSocket keeps counting as an outstanding request/);
    assert.match(alg, /modify-routing-algorithm/);
  });

  it('unknown values are said to be unknown, never guessed; out-of-range values are flagged', () => {
    const text = `resource "aws_lb" "main" {\n  idle_timeout = var.timeout\n}\nresource "aws_lb_target_group" "ws" {\n  slow_start = 5000\n}\n`;
    const u = hover('u.tf', text, at(text, 'idle_timeout', 1))!.markdown;
    assert.match(u, /unknown — /);
    assert.doesNotMatch(u, /heartbeat:/);
    const o = hover('u.tf', text, at(text, 'slow_start', 1))!.markdown;
    assert.match(o, /5000 is outside the allowed range \(30–900 s\)/);
  });

  it('NLB TCP idle timeout on a listener', () => {
    const text = `resource "aws_lb" "n" {\n  load_balancer_type = "network"\n}\nresource "aws_lb_listener" "tcp" {\n  load_balancer_arn = aws_lb.n.arn\n  protocol = "TCP"\n  port = 443\n  tcp_idle_timeout_seconds = 600\n}\n`;
    const md = hover('n.tf', text, at(text, 'tcp_idle_timeout_seconds', 1))!.markdown;
    assert.match(md, /TCP idle timeout \(Network Load Balancer listener\)/);
    assert.match(md, /350 s \(fixed at 350 s for TLS listeners/);
    assert.match(md, /60–6000 s/);
    assert.match(md, /`600` — written here/);
    assert.match(md, /update-idle-timeout\.html/);
  });

  it('a finding under the cursor brings its explanation', () => {
    const off = at(tf, 'idle_timeout', 2);
    const f: Finding = {
      file: '/proj/main.tf',
      range: { start: { line: 7, character: 2 }, end: { line: 7, character: 23 } },
      severity: 'error',
      code: 'nginx/ws-read-timeout',
      message: 'stand-in finding',
      fixes: [],
    };
    const r = hover('main.tf', tf, off, 30_000, [f])!;
    assert.match(r.markdown, /stand-in finding|proxy_read_timeout/);
    assert.match(r.markdown, /### `idle_timeout`/);
  });

  it('no hover outside the resources', () => {
    assert.equal(hover('main.tf', tf, at(tf, 'variable', 2)), null);
  });

  it('the facts table: one entry per id, lookups by Terraform and CloudFormation spelling, real sections', () => {
    const ids = AWS_ATTRIBUTES.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const f of AWS_ATTRIBUTES) {
      assert.ok((SOURCE_SECTIONS as readonly string[]).includes(f.section), f.id);
      assert.match(f.doc, /^https:\/\/docs\.aws\.amazon\.com\//, f.id);
      assert.ok(f.websocket.length > 60, f.id);
      if (f.range && typeof f.default === 'number' && f.id !== 'tg.slow_start')
        assert.ok(f.default >= f.range.min && f.default <= f.range.max, f.id);
    }
    assert.equal(awsFactForTerraform('aws_alb', 'idle_timeout')?.id, 'lb.idle_timeout');
    assert.equal(awsFactForTerraform('aws_lb_target_group', 'enabled', 'stickiness')?.id, 'tg.stickiness.enabled');
    assert.equal(awsFactForTerraform('aws_lb_target_group', 'enabled'), undefined);
    assert.equal(
      awsFactForCloudFormation('AWS::ElasticLoadBalancingV2::Listener', 'tcp.idle_timeout.seconds')?.id,
      'listener.tcp_idle_timeout',
    );
    assert.equal(awsFact('tg.deregistration_delay')?.default, 300);
  });
});
