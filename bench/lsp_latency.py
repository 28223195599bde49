#!/usr/bin/env python3
"""Language-server latency: open a generated ~1 MB JS document, make five
one-character edits that keep it valid, then three that leave a syntax error,
and time each publishDiagnostics.

With --file PATH, the document is that file (a real library, say) with a
comment line put first, where the edits go, and the same widget call appended.

usage: bench/lsp_latency.py [path/to/action-lint] [--file PATH]
       (default binary: target/release/action-lint)
"""
import json, os, subprocess, sys, tempfile, time

args = sys.argv[1:]
source = None
if '--file' in args:
    i = args.index('--file')
    source = args[i + 1]
    del args[i:i + 2]
binary = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), '..', 'target', 'release', 'action-lint'))
work = tempfile.mkdtemp(prefix='lsp-latency-')
open(os.path.join(work, 'action-lint.toml'), 'w').write('actions = "talkative-actions.yaml"\n')
open(os.path.join(work, 'talkative-actions.yaml'), 'w').write('actions: [start-chat]\n')
call = "document.onclick = () => window.talkativeApi?.actions.triggerAction('strat-chat').catch(() => {});\n"
if source:
    text = '// edited here: \n' + open(source, encoding='utf-8').read() + '\n' + call
    at, at_error = (0, 15), (1, 0)
else:
    parts, i = [], 0
    while sum(map(len, parts)) < 1_000_000:
        parts.append(f"function handler{i}(e) {{\n  const el = document.querySelector('#b{i}');\n  if (!el) return;\n"
                     f"  el.classList.toggle('open');\n  return fetch('/api/items/{i}').then(r => r.json());\n}}\n")
        i += 1
    parts.append(call)
    text = ''.join(parts)
    at = at_error = (3, 2)
open(os.path.join(work, 'big.js'), 'w').write(text)

p = subprocess.Popen([binary, 'lsp'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=work)

def send(msg):
    b = json.dumps(msg).encode()
    p.stdin.write(b'Content-Length: %d\r\n\r\n' % len(b) + b)
    p.stdin.flush()

def recv():
    headers = {}
    while True:
        line = p.stdout.readline()
        if line in (b'\r\n', b''):
            break
        k, v = line.decode().split(':', 1)
        headers[k.lower()] = v.strip()
    return json.loads(p.stdout.read(int(headers['content-length'])))

def wait_diagnostics(version=None):
    while True:
        m = recv()
        if m.get('method') == 'textDocument/publishDiagnostics' and version in (None, m['params'].get('version')):
            return m
        if 'id' in m and 'method' in m:
            send({'jsonrpc': '2.0', 'id': m['id'], 'result': None})

root = 'file://' + work
send({'jsonrpc': '2.0', 'id': 1, 'method': 'initialize', 'params': {'processId': None, 'rootUri': root, 'capabilities': {}}})
while recv().get('id') != 1:
    pass
send({'jsonrpc': '2.0', 'method': 'initialized', 'params': {}})
uri = root + '/big.js'
t = time.time()
send({'jsonrpc': '2.0', 'method': 'textDocument/didOpen', 'params': {'textDocument': {'uri': uri, 'languageId': 'javascript', 'version': 1, 'text': text}}})
d = wait_diagnostics()
print('open: %.0f ms (%d diagnostics, %.2f MB)' % ((time.time() - t) * 1000, len(d['params']['diagnostics']), len(text) / 1e6))
def edit(version, text, where):
    """Insert `text` at `where` (line 4, column 3 of the generated document) and
    return the ms until diagnostics come."""
    t = time.time()
    pos = {'line': where[0], 'character': where[1]}
    change = {'range': {'start': pos, 'end': pos}, 'text': text}
    send({'jsonrpc': '2.0', 'method': 'textDocument/didChange', 'params': {'textDocument': {'uri': uri, 'version': version}, 'contentChanges': [change]}})
    wait_diagnostics(version)
    return (time.time() - t) * 1000

for v in range(2, 7):
    print('edit %d: %.0f ms' % (v - 1, edit(v, 'x', at)))
# Edits that leave a syntax error: linted at once from the re-parsed tree,
# then again from a fresh parse once the client pauses (see README).
for v in range(7, 10):
    print('edit %d, leaving a syntax error: %.0f ms' % (v - 1, edit(v, '(', at_error)))
t = time.time()
wait_diagnostics(9)
print('  then, after the pause, as check does: %.0f ms after the last edit\'s first result' % ((time.time() - t) * 1000))
send({'jsonrpc': '2.0', 'id': 9, 'method': 'shutdown'})
send({'jsonrpc': '2.0', 'method': 'exit'})
