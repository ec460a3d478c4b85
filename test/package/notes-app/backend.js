// The stub backend the app needs at start-up (started by conform.config's launch.servers).
const http = require('node:http');

const port = Number(process.env.PORT);
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(req.url === '/health' ? { ok: true } : { error: 'not found' }));
}).listen(port, '127.0.0.1', () => console.log(`backend listening on ${port}`));
