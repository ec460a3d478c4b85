#!/usr/bin/python3
"""tauri-double: a WebKitGTK program standing in for a built Tauri v2 app (see README.md).

It allows WebDriver automation the way Tauri's wry runtime does (only when started with
TAURI_WEBVIEW_AUTOMATION=true), shows page.html, whose window.__TAURI_INTERNALS__ posts invoke
messages here, and implements the commands of the tauri-completion and clawdesk packs: arguments
checked like Tauri's serde deserialization, Result<T, String> errors as bare strings, a
Channel<CompletionEvent> stream ({index, message} then {index, end}), and global events through
the event plugin (plugin:event|listen). Faults of faults.json are switched on with
CONFORM_FAULTS=<id>[,<id>...].
"""
import json
import os
import signal
import sys
import time
import uuid

import gi

gi.require_version('Gtk', '3.0')
gi.require_version('WebKit2', '4.1')
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FAULTS = {f.strip() for f in os.environ.get('CONFORM_FAULTS', '').split(',') if f.strip()}
with open(os.path.join(HERE, 'faults.json'), encoding='utf-8') as fh:
    KNOWN_FAULTS = {f['id'] for f in json.load(fh)}
# Pacing of streamed messages/events (ms): slow enough that an abort lands mid-stream.
STEP_MS = int(os.environ.get('TAURI_DOUBLE_STEP_MS', '100'))


def log(*parts):
    print('tauri-double:', *parts, file=sys.stderr, flush=True)


def fault(fid):
    return fid in FAULTS


class CommandError(Exception):
    """Err(String) of a command: the frontend's invoke rejects with this bare string."""


# ---------------------------------------------------------------- argument checks (serde-like)

def _type_name(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return f'boolean `{str(v).lower()}`'
    if isinstance(v, int):
        return f'integer `{v}`'
    if isinstance(v, float):
        return f'floating point `{v}`'
    if isinstance(v, str):
        return f'string "{v}"'
    if isinstance(v, list):
        return 'a sequence'
    return 'a map'


def arg(cmd, args, key, kind, required=True, min_len=0):
    """One command argument, checked like Tauri's CommandArg deserialization."""
    if not isinstance(args, dict):
        raise CommandError(f'invalid args `{key}` for command `{cmd}`: command {cmd} expected a map of arguments')
    if key not in args or args[key] is None:
        if required:
            raise CommandError(f'invalid args `{key}` for command `{cmd}`: command {cmd} missing required key {key}')
        return None
    v = args[key]
    ok = {
        'string': isinstance(v, str),
        'number': isinstance(v, (int, float)) and not isinstance(v, bool),
        'array': isinstance(v, list),
        'channel': isinstance(v, str) and v.startswith('__CHANNEL__:'),
        'any': True,
    }[kind]
    if not ok:
        expected = {'string': 'a string', 'number': 'f64', 'array': 'a sequence', 'channel': 'a Channel', 'any': 'any'}[kind]
        raise CommandError(f'invalid args `{key}` for command `{cmd}`: invalid type: {_type_name(v)}, expected {expected}')
    if min_len and len(v) < min_len:
        raise CommandError(f'{key} must not be empty')
    return v


def now_iso():
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())


# ---------------------------------------------------------------- the app

class Double:
    def __init__(self):
        # Like a Tauri app built without automation support: never accepts a WebDriver session.
        self.automation = os.environ.get('TAURI_WEBVIEW_AUTOMATION') == 'true' and not fault('no-automation')
        self.context = WebKit2.WebContext.new()
        self.context.set_automation_allowed(self.automation)
        self.ucm = WebKit2.UserContentManager()
        self.ucm.connect('script-message-received::ipc', self.on_message)
        self.ucm.register_script_message_handler('ipc')
        self.view = WebKit2.WebView(web_context=self.context, user_content_manager=self.ucm,
                                    is_controlled_by_automation=self.automation)
        self.view.connect('close', lambda _v: self.quit())
        self.context.connect('automation-started', self.on_automation)
        self.window = Gtk.Window(title='tauri-double')
        self.window.set_default_size(800, 600)
        self.window.connect('destroy', lambda _w: self.quit())
        self.window.add(self.view)
        self.window.show_all()
        with open(os.path.join(HERE, 'page.html'), encoding='utf-8') as fh:
            page = fh.read()
        if fault('no-tauri-internals'):
            page = page[:page.index('<script>')] + page[page.index('</script>') + len('</script>'):]
        self.view.load_html(page, 'http://tauri.localhost/')
        self.listeners = {}  # event -> {eventId: handler callback id}
        self.next_event_id = 1
        self.sessions = {}
        self.messages = {}
        self.streams = {}  # sessionId -> pending GLib source ids
        self.config = {'gateway': {'port': 1420}, 'providers': {'anthropic': {'enabled': True}}}
        self.started = time.monotonic()

    def on_automation(self, _context, session):
        session.connect('create-web-view', lambda _s: self.view)

    def quit(self):
        if Gtk.main_level() > 0:
            Gtk.main_quit()

    # -- plumbing: JS calls into the page, as Tauri's eval path does
    def js(self, script):
        self.view.evaluate_javascript(script, -1, None, None, None, None, None)

    def callback(self, cid, data):
        self.js(f'window.__TAURI_INTERNALS__.runCallback({int(cid)}, {json.dumps(data)})')

    def on_message(self, _ucm, value):
        raw = value.get_js_value().to_string() if hasattr(value, 'get_js_value') else value.to_string()
        try:
            msg = json.loads(raw)
        except ValueError:
            log('unreadable ipc message', raw[:200])
            return
        cmd, ok_id, err_id = msg.get('cmd'), msg.get('callback'), msg.get('error')
        payload = msg.get('payload')
        handler = COMMANDS.get(cmd)
        if handler is None:
            self.callback(err_id, f'command {cmd} not found')
            return
        reply = {'done': False}

        def resolve(v):
            if not reply['done']:
                reply['done'] = True
                self.callback(ok_id, v)

        try:
            result = handler(self, payload if payload is not None else {}, resolve)
        except CommandError as e:
            self.callback(err_id, str(e))
            return
        except Exception as e:  # noqa: BLE001 - a panic in a command surfaces as a string too
            log(f'command {cmd} failed: {e!r}')
            self.callback(err_id, f'command {cmd} panicked: {e}')
            return
        if result is not DEFERRED:
            resolve(result)

    def later(self, ms, fn):
        def run():
            fn()
            return False
        return GLib.timeout_add(ms, run)

    # -- event plugin
    def emit(self, event, payload):
        for eid, handler in list(self.listeners.get(event, {}).items()):
            self.callback(handler, {'event': event, 'id': eid, 'payload': payload})


DEFERRED = object()
COMMANDS = {}


def command(name):
    def register(fn):
        COMMANDS[name] = fn
        return fn
    return register


@command('plugin:event|listen')
def _listen(app, args, _resolve):
    event = arg('plugin:event|listen', args, 'event', 'string')
    handler = arg('plugin:event|listen', args, 'handler', 'number')
    eid = app.next_event_id
    app.next_event_id += 1
    app.listeners.setdefault(event, {})[eid] = handler
    return eid


@command('plugin:event|unlisten')
def _unlisten(app, args, _resolve):
    event = arg('plugin:event|unlisten', args, 'event', 'string')
    eid = arg('plugin:event|unlisten', args, 'eventId', 'number')
    app.listeners.get(event, {}).pop(eid, None)
    return None


@command('plugin:event|emit')
def _emit(app, args, _resolve):
    app.emit(arg('plugin:event|emit', args, 'event', 'string'), args.get('payload'))
    return None


# ---------------------------------------------------------------- tauri-completion (seed 001)

PRESETS = [
    {'id': 'llama3.2:1b', 'name': 'Llama 3.2 1B', 'temperature': 0.7},
    {'id': 'mistral:7b', 'name': 'Mistral 7B', 'temperature': 0.5},
]


@command('load_model_presets')
def load_model_presets(_app, _args, _resolve):
    if fault('tc-presets-string-error'):
        raise CommandError('failed to read presets.json: No such file or directory (os error 2)')
    if fault('tc-presets-not-array'):
        return {p['id']: p for p in PRESETS}
    return PRESETS


@command('generate_completion_stream')
def generate_completion_stream(app, args, resolve):
    c = 'generate_completion_stream'
    arg(c, args, 'model', 'string', min_len=1)
    arg(c, args, 'messages', 'array')
    arg(c, args, 'host', 'string', min_len=1)
    arg(c, args, 'apiKey', 'string')
    channel = int(arg(c, args, 'onEvent', 'channel').split(':', 1)[1])
    sends = [{'Chunk': {'text': t}} for t in ('Hel', 'lo, ', 'world')]
    never_ends = fault('tc-stream-never-settles')
    if never_ends:
        sends = sends[:2]
    else:
        sends.append('Done')
    indexes = list(range(len(sends)))
    if fault('tc-channel-out-of-order'):
        # The backend numbers its messages out of send order, so the frontend's Channel (which
        # delivers by index) hands them to the app in another order than they were sent.
        indexes[1], indexes[2] = indexes[2], indexes[1]

    def step(i):
        if i < len(sends):
            app.callback(channel, {'index': indexes[i], 'message': sends[i]})
            app.later(STEP_MS // 4, lambda: step(i + 1))
        elif not never_ends:
            app.callback(channel, {'index': len(sends), 'end': True})
            resolve(None)

    app.later(STEP_MS // 4, lambda: step(0))
    return DEFERRED


@command('bun_install')
def bun_install(app, args, _resolve):
    path = arg('bun_install', args, 'path', 'string', min_len=1)
    app.later(50, lambda: log(f'bun install in {path} finished'))
    return None


# ---------------------------------------------------------------- clawdesk (seed 002)

def session_arg(cmd, app, args):
    sid = arg(cmd, args, 'sessionId', 'string', min_len=1)
    if sid not in app.sessions:
        raise CommandError(f'session not found: {sid}')
    return sid


@command('create_session')
def create_session(app, args, _resolve):
    channel_id = arg('create_session', args, 'channelId', 'string', required=False) or 'desktop'
    model = arg('create_session', args, 'model', 'string', required=False)
    sid = f'sess_{uuid.uuid4().hex[:12]}'
    info = {'id': sid, 'channelId': channel_id, 'createdAt': now_iso(), 'lastActive': now_iso(), 'messageCount': 0}
    if model is not None:
        info['model'] = model
    app.sessions[sid] = info
    app.messages[sid] = []
    return info


@command('list_sessions')
def list_sessions(app, _args, _resolve):
    return sorted(app.sessions.values(), key=lambda s: s['lastActive'], reverse=True)


@command('get_session')
def get_session(app, args, _resolve):
    return app.sessions[session_arg('get_session', app, args)]


@command('delete_session')
def delete_session(app, args, _resolve):
    sid = session_arg('delete_session', app, args)
    cancel(app, sid)
    del app.sessions[sid]
    app.messages.pop(sid, None)
    return None


def take_message(cmd, app, args):
    """The (sessionId, content) args of a message command, and the reply, stored in the session."""
    sid = session_arg(cmd, app, args)
    content = arg(cmd, args, 'content', 'string')
    return sid, content, reply_to(app, sid, content)


def reply_to(app, sid, content):
    app.sessions[sid]['messageCount'] += 2
    app.sessions[sid]['lastActive'] = now_iso()
    text = f'You said: {content}'
    app.messages[sid] += [{'role': 'user', 'content': content}, {'role': 'assistant', 'content': text}]
    return text


@command('send_message')
def send_message(app, args, _resolve):
    _sid, content, text = take_message('send_message', app, args)
    return {'id': f'msg_{uuid.uuid4().hex[:8]}', 'role': 'assistant', 'content': text, 'model': 'claude-sonnet-4-20250514',
            'usage': {'inputTokens': len(content.split()), 'outputTokens': len(text.split())}, 'timestamp': now_iso()}


def cancel(app, sid):
    """Stop a running stream; True when one was running (its pending events are dropped)."""
    state = app.streams.pop(sid, None)
    if not state or state['done']:
        return False
    for source in state['sources'].values():
        GLib.source_remove(source)
    return True


@command('send_message_streaming')
def send_message_streaming(app, args, _resolve):
    sid, content, text = take_message('send_message_streaming', app, args)
    mid = f'msg_{uuid.uuid4().hex[:8]}'
    words = text.split(' ')
    chunks = [' '.join(words[i:i + 2]) for i in range(0, len(words), 2)][:3]
    events = [('stream-start', {'messageId': mid})]
    for i, chunk in enumerate(chunks):
        events.append(('stream-chunk', {'content': chunk, 'index': str(i) if fault('cd-chunk-payload-invalid') else i}))
    if fault('cd-stream-out-of-order'):
        events[0], events[1] = events[1], events[0]
    if not fault('cd-stream-no-end'):
        events.append(('stream-end', {'messageId': mid, 'usage': {'inputTokens': len(content.split()), 'outputTokens': len(words)}}))
    cancel(app, sid)
    state = {'sources': {}, 'done': False}
    app.streams[sid] = state

    def fire(n, name, payload):
        state['sources'].pop(n, None)  # a source that ran is gone: never remove it again
        app.emit(name, payload)
        if not state['sources']:
            state['done'] = True

    for n, (name, payload) in enumerate(events):
        state['sources'][n] = app.later(STEP_MS // 2 + n * STEP_MS, lambda n=n, name=name, payload=payload: fire(n, name, payload))
    return None


@command('get_messages')
def get_messages(app, args, _resolve):
    sid = session_arg('get_messages', app, args)
    limit = arg('get_messages', args, 'limit', 'number', required=False)
    items = app.messages.get(sid, [])
    return items[-int(limit):] if limit else items


@command('cancel_stream')
def cancel_stream(app, args, _resolve):
    if cancel(app, session_arg('cancel_stream', app, args)):
        # A cancelled stream still ends the way every stream does: with stream-error.
        app.emit('stream-error', {'code': 'cancelled', 'message': 'stream cancelled'})
    return None


@command('get_config')
def get_config(app, _args, _resolve):
    if fault('cd-config-string-error'):
        raise CommandError('failed to read config: permission denied')
    return app.config


@command('update_config')
def update_config(app, args, _resolve):
    key = arg('update_config', args, 'key', 'string', min_len=1)
    value = arg('update_config', args, 'value', 'any')
    if key not in app.config:
        raise CommandError(f'unknown config key: {key}')
    app.config[key] = value
    return None


@command('get_models')
def get_models(_app, _args, _resolve):
    return [{'id': 'claude-sonnet-4-20250514', 'provider': 'anthropic', 'capabilities': ['chat', 'tools'], 'contextWindow': 200000},
            {'id': 'llama3.2:1b', 'provider': 'ollama', 'capabilities': ['chat'], 'contextWindow': 131072}]


@command('get_channels')
def get_channels(_app, _args, _resolve):
    return [{'id': 'desktop', 'status': 'active'}]


@command('get_health')
def get_health(app, _args, _resolve):
    status = 1 if fault('cd-health-status-number') else 'healthy'
    return {'status': status, 'uptime': round(time.monotonic() - app.started, 3), 'channelsActive': 1, 'providersActive': 2}


@command('get_metrics')
def get_metrics(app, _args, _resolve):
    if fault('cd-metrics-crash'):
        log('thread main panicked at src/metrics.rs:42:9: called `Option::unwrap()` on a `None` value')
        os._exit(101)
    return {'sessions': len(app.sessions), 'uptimeSeconds': round(time.monotonic() - app.started, 3)}


@command('compact_session')
def compact_session(app, args, _resolve):
    sid = session_arg('compact_session', app, args)
    before = len(app.messages[sid])
    return {'messagesBefore': before, 'messagesAfter': min(before, 2), 'tokensSaved': 0}


def main():
    unknown = FAULTS - KNOWN_FAULTS
    if unknown:
        log(f'unknown fault id(s) in CONFORM_FAULTS: {", ".join(sorted(unknown))} (see faults.json)')
        return 2
    if fault('startup-crash'):
        log('cannot open the app database: disk I/O error')
        return 3
    Gtk.init(sys.argv)
    app = Double()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, lambda: (app.quit(), False)[1])
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, lambda: (app.quit(), False)[1])
    log(f'ready (automation {"allowed" if app.automation else "not allowed"}, faults: {", ".join(sorted(FAULTS)) or "none"})')
    Gtk.main()
    return 0


if __name__ == '__main__':
    sys.exit(main())
