/** The nginx config "Open a sample nginx config with WebSocket pitfalls" opens (the walkthrough's second step). */
export const SAMPLE_NGINX = `# A sample nginx config with WebSocket pitfalls, opened by WebSocket LB Doctor.
# Hover a squiggle, press Ctrl+. on it to fix it, or simulate the upstream (the CodeLens above it).
http {
    upstream chat_backend {
        server 10.0.0.1:9000;
        server 10.0.0.2:9000;
        server 10.0.0.3:9000;
    }

    server {
        listen 80;
        server_name chat.example.com;

        # The WebSocket endpoint: no HTTP/1.1, no Upgrade/Connection headers, a 20 s read timeout.
        location /ws/ {
            proxy_pass http://chat_backend;
            proxy_read_timeout 20s;
        }
    }
}
`;
