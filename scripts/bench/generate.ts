/** Generated benchmark configs: valid for the real nginx -t / haproxy -c, with WebSocket locations. */

export function generateNginx(targetLines: number): string {
  const out: string[] = [
    'worker_processes 2;',
    'worker_shutdown_timeout 10m;',
    'events { worker_connections 4096; }',
    'http {',
    '    map $http_upgrade $connection_upgrade {',
    '        default upgrade;',
    "        ''      close;",
    '    }',
  ];
  let i = 0;
  while (out.length < targetLines - 3) {
    out.push(
      `    upstream pool_${i} {`,
      '        least_conn;',
      `        server 127.0.0.1:${10000 + (i % 5000)} weight=2 max_fails=2 fail_timeout=5s;`,
      `        server 127.0.0.2:${10000 + (i % 5000)};`,
      '    }',
      '    server {',
      `        listen 127.0.0.1:${20000 + (i % 50)};`,
      `        server_name s${i}.example.test;`,
      '        # a websocket endpoint and a plain one',
      '        location /ws/ {',
      `            proxy_pass http://pool_${i};`,
      '            proxy_http_version 1.1;',
      '            proxy_set_header Upgrade $http_upgrade;',
      '            proxy_set_header Connection $connection_upgrade;',
      '            proxy_set_header Host "$host";',
      '            proxy_read_timeout 3600s;',
      '        }',
      '        location ~* \\.(css|js)$ {',
      '            root /srv/www;',
      "            add_header Cache-Control 'public, max-age=600';",
      '        }',
      `        location /api/ { proxy_pass http://pool_${i}; }`,
      '    }',
    );
    i++;
  }
  out.push('}');
  return out.join('\n') + '\n';
}

export function generateHaproxy(targetLines: number): string {
  const out: string[] = [
    'global',
    '    maxconn 100000',
    '    hard-stop-after 1h',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    '    timeout tunnel 1h',
    '',
    'frontend public',
    '    bind 127.0.0.1:8080',
    '    acl is_ws hdr(Upgrade) -i websocket',
  ];
  const backends: string[] = [];
  let i = 0;
  while (out.length + backends.length < targetLines - 2) {
    out.push(`    acl host_${i} hdr(host) -i s${i}.example.test`, `    use_backend ws_${i} if is_ws host_${i}`);
    backends.push(
      '',
      `backend ws_${i}`,
      '    balance leastconn',
      '    option httpchk GET /health',
      '    default-server check inter 2s fall 3 rise 2 slowstart 30s on-marked-down shutdown-sessions',
      `    server a${i} 127.0.0.1:${10000 + (i % 5000)} weight 10`,
      `    server b${i} 127.0.0.2:${10000 + (i % 5000)} weight 10`,
    );
    i++;
  }
  out.push('    default_backend ws_0');
  return [...out, ...backends].join('\n') + '\n';
}
