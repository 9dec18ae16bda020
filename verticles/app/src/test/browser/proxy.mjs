// One origin for the page, as the Ingress gives it in Kubernetes: /eventbus goes to the bridge
// process, everything else to the api process. Plain HTTP is forwarded request by request;
// a WebSocket upgrade becomes a raw TCP pipe, so killing the bridge drops the page's socket.
import http from 'node:http';
import net from 'node:net';

export function startProxy(apiUrl, bridgeUrl) {
  const api = new URL(apiUrl);
  const bridge = new URL(bridgeUrl);
  const target = (path) => (path.startsWith('/eventbus') ? bridge : api);
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    const to = target(req.url);
    const upstream = http.request({
      host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers,
      agent: false,
    }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end();
    });
    req.pipe(upstream);
  });

  server.on('upgrade', (req, socket, head) => {
    const to = target(req.url);
    sockets.add(socket);
    const upstream = net.connect(Number(to.port), to.hostname, () => {
      let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      }
      upstream.write(`${raw}\r\n`);
      if (head && head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      socket.destroy();
      sockets.delete(socket);
    };
    upstream.on('error', drop);
    upstream.on('close', drop);
    socket.on('error', drop);
    socket.on('close', drop);
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => {
          for (const s of sockets) s.destroy();
          server.closeAllConnections();
          server.close();
        },
      });
    });
  });
}
