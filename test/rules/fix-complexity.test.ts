/**
 * The rules and the fixes they build grow linearly with the config (issue 23: 10k broken WebSocket
 * locations took 19.5 s, because each finding's fix read every statement of the http block, each
 * HAProxy backend's fix every proxy, each ALB every target group). No time is measured: the test
 * counts how many elements of the model's shared lists (a block's statements, the proxies, the
 * target groups) the rules read, for a config of N and of 2N units. Linear work doubles (ratio 2);
 * the quadratic builders read four times as much.
 */
import { strict as assert } from 'node:assert';
import { initAwsParsers } from '../../server/src/service';
import { runRules } from '../../server/src/service/host/findings';
import { buildAwsConfig } from '../../server/src/service/model/aws-build';
import { buildHaproxyConfig } from '../../server/src/service/model/haproxy';
import { buildNginxConfig, type NginxContext } from '../../server/src/service/model/nginx';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { withDefaults } from '../../server/src/service/options';
import { AWS_RULES, HAPROXY_RULES, NGINX_RULES } from '../../server/src/service/rules';
import type { AnyRule } from '../../server/src/service/rules/rule';
import { LineIndex } from '../../server/src/service/text';

/** An array that counts the reads of its elements in `reads.n`. */
function counting<T>(list: T[], reads: { n: number }): T[] {
  return new Proxy(list, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key.length > 0 && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57) reads.n++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

function nginxText(n: number): string {
  const out = ['events { worker_connections 1024; }', 'http {'];
  for (let i = 0; i < n; i++)
    out.push(`    server { listen ${10000 + i}; location /ws/ { proxy_pass http://10.0.0.1:${i + 1}; } }`);
  out.push('}', '');
  return out.join('\n');
}

function haproxyText(n: number): string {
  const out = [
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 10s',
    '    timeout server 10s',
  ];
  for (let i = 0; i < n; i++)
    out.push(
      `frontend fe${i}`,
      `    bind :${10000 + i}`,
      `    use_backend ws${i} if { path_beg /ws }`,
      `    default_backend app${i}`,
      `backend ws${i}`,
      `    server s${i} 10.0.0.${(i % 250) + 1}:80`,
      `backend app${i}`,
      `    server a${i} 10.1.0.${(i % 250) + 1}:80`,
    );
  return out.join('\n') + '\n';
}

function terraformText(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(`resource "aws_lb" "lb${i}" {
  name               = "lb${i}"
  load_balancer_type = "application"
  idle_timeout       = 30
}
resource "aws_lb_target_group" "ws${i}" {
  name     = "ws${i}"
  port     = 80
  protocol = "HTTP"
}
resource "aws_lb_listener" "l${i}" {
  load_balancer_arn = aws_lb.lb${i}.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ws${i}.arn
  }
}
`);
  return out.join('');
}

/** Reads of shared lists and number of fixes for a config of size n. */
function work(system: 'nginx' | 'haproxy' | 'aws', n: number): { reads: number; fixes: number } {
  const reads = { n: 0 };
  const options = withDefaults({});
  let findings;
  if (system === 'nginx') {
    const path = '/etc/nginx/nginx.conf';
    const config = buildNginxConfig(path, new MemoryFileSystem({ [path]: nginxText(n) }));
    const visit = (ctx: NginxContext) => {
      ctx.statements = counting(ctx.statements, reads);
      for (const c of ctx.children) visit(c);
    };
    visit(config.root);
    const indexOf = (p: string) => config.sources.get(p)?.tree.lineIndex;
    findings = runRules(NGINX_RULES as readonly AnyRule[], config, options, indexOf);
  } else if (system === 'haproxy') {
    const path = '/etc/haproxy/haproxy.cfg';
    const config = buildHaproxyConfig([{ path, text: haproxyText(n) }]);
    config.proxies = counting(config.proxies, reads);
    const index = config.sources[0].tree.lineIndex;
    findings = runRules(HAPROXY_RULES as readonly AnyRule[], config, options, () => index);
  } else {
    const path = '/infra/main.tf';
    const text = terraformText(n);
    const config = buildAwsConfig([{ path, text }]);
    config.targetGroups = counting(config.targetGroups, reads);
    config.loadBalancers = counting(config.loadBalancers, reads);
    const index = new LineIndex(text);
    findings = runRules(AWS_RULES as readonly AnyRule[], config, options, () => index);
  }
  return { reads: reads.n, fixes: findings.reduce((k, f) => k + f.fixes.length, 0) };
}

describe('rules and fixes: work grows linearly with the config (issue 23)', function () {
  this.timeout(60_000);
  before(async () => {
    await initAwsParsers();
  });

  for (const [system, n] of [
    ['nginx', 300],
    ['haproxy', 300],
    ['aws', 150],
  ] as const) {
    it(`${system}: twice the units, about twice the reads (N = ${n})`, () => {
      const small = work(system, n);
      const large = work(system, 2 * n);
      // every unit is broken and fixable: the fixes are really built, in both sizes
      // (one per unit and finding, plus a few about the whole config)
      assert.ok(small.fixes >= n, `${small.fixes} fixes for ${n} units`);
      assert.ok(Math.abs(large.fixes - 2 * small.fixes) <= 3, `${small.fixes} → ${large.fixes} fixes`);
      const ratio = large.reads / small.reads;
      assert.ok(ratio < 2.5, `reads ${small.reads} → ${large.reads} (×${ratio.toFixed(2)}; quadratic would be ×4)`);
    });
  }
});
