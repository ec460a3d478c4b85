// Reads a preload with the TypeScript compiler API and recovers its bridge: every
// `contextBridge.exposeInMainWorld(root, api)` (nested objects, arrow functions, methods, consts
// referenced by name, factories such as `subscribe('ch')` or `invoke('ch')`), and inside each
// bridge function the `ipcRenderer.invoke/send/sendSync/on/once/removeListener` calls, with the
// channel name evaluated from literals, consts and factory arguments.
//
// The evaluator is deliberately small: it follows what preloads really do (consts, object
// literals, closures over a channel argument, `a ? b : c`), and reports what it cannot follow.
import ts from 'typescript';

export type IpcMethod = 'invoke' | 'send' | 'sendSync' | 'on' | 'once' | 'removeListener' | 'addListener' | 'off';
const IPC_METHODS = new Set<string>(['invoke', 'send', 'sendSync', 'on', 'once', 'removeListener', 'addListener', 'off']);

export interface IpcArg {
  /** Bridge-function param name the arg forwards, or a made-up name (`arg1`). */
  name: string;
  /** The bridge function's parameter declaration, when the arg forwards one. */
  param?: ts.ParameterDeclaration;
  optional: boolean;
  /** `...args` forwarded: the count of params is not visible. */
  rest: boolean;
  /** Source text of an arg that is an expression rather than a param. */
  expression?: string;
}

export interface FoundChannel {
  channel: string;
  method: IpcMethod;
  /** Dotted bridge path, or null when the call is not inside a bridge function. */
  bridge: string | null;
  /** The bridge function (for declared types). */
  fn?: ts.SignatureDeclaration;
  /**
   * The expression the bridge member is written as (`tag: invoker<[string], R>('ch')`): its type
   * is the method as the renderer sees it, with a factory's or wrapper's generics instantiated.
   */
  site?: ts.Expression;
  args: IpcArg[];
  /** For on/once: the listener function passed to ipcRenderer (for its payload param type). */
  listener?: ts.Expression;
  pos: { line: number; col: number };
}

export interface Analysis {
  roots: string[];
  channels: FoundChannel[];
  warnings: string[];
}

type Val =
  | { t: 'str'; value: string }
  | { t: 'obj'; members: Map<string, Val> }
  | { t: 'fn'; node: ts.SignatureDeclaration & { body?: ts.ConciseBody | ts.Block }; env: Env; site?: ts.Expression }
  | { t: 'param'; decl: ts.ParameterDeclaration }
  /** A helper's rest parameter: the call's remaining arguments (`invokeIpc(ch, ...args)`). */
  | { t: 'rest'; items: Val[] }
  | { t: 'unknown'; why: string; expr?: string };
type Env = Map<string, Val>;

const UNKNOWN = (why: string): Val => ({ t: 'unknown', why });

export function analyzePreload(file: string, source: string, sf?: ts.SourceFile): Analysis {
  const src = sf ?? ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, file.endsWith('.ts') || file.endsWith('.tsx') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const warnings: string[] = [];
  const where = (n: ts.Node) => {
    const lc = src.getLineAndCharacterOfPosition(n.getStart(src));
    return { line: lc.line + 1, col: lc.character + 1 };
  };
  const at = (n: ts.Node) => `${file}:${where(n).line}:${where(n).col}`;

  // Top-level declarations: consts/lets (evaluated lazily, once) and function declarations.
  const decls = new Map<string, ts.Expression | ts.FunctionDeclaration>();
  const cache = new Map<string, Val>();
  for (const st of src.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer) decls.set(d.name.text, d.initializer);
        // const { contextBridge, ipcRenderer } = require('electron') needs nothing here
      }
    } else if (ts.isFunctionDeclaration(st) && st.name) decls.set(st.name.text, st);
  }

  let depth = 0;
  function lookup(name: string, env: Env): Val {
    const v = env.get(name);
    if (v) return v;
    const cached = cache.get(name);
    if (cached) return cached;
    const d = decls.get(name);
    if (!d) return UNKNOWN(`'${name}' is not a top-level const or function`);
    cache.set(name, UNKNOWN(`'${name}' refers to itself`));
    const val = ts.isFunctionDeclaration(d) ? ({ t: 'fn', node: d, env: new Map() } as Val) : evaluate(d, new Map());
    cache.set(name, val);
    return val;
  }

  function evaluate(e: ts.Expression, env: Env): Val {
    if (++depth > 200) {
      depth--;
      return UNKNOWN('evaluation too deep');
    }
    try {
      if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { t: 'str', value: e.text };
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) return evaluate(e.expression, env);
      if (ts.isIdentifier(e)) return lookup(e.text, env);
      if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return { t: 'fn', node: e, env };
      if (ts.isObjectLiteralExpression(e)) {
        const members = new Map<string, Val>();
        for (const p of e.properties) {
          const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) ? p.name.text : undefined;
          if (ts.isPropertyAssignment(p) && key !== undefined) members.set(key, atSite(evaluate(p.initializer, env), p.initializer));
          else if (ts.isShorthandPropertyAssignment(p)) members.set(p.name.text, atSite(lookup(p.name.text, env), p.name));
          else if (ts.isMethodDeclaration(p) && key !== undefined) members.set(key, { t: 'fn', node: p, env });
          else if (ts.isSpreadAssignment(p)) {
            const v = evaluate(p.expression, env);
            if (v.t === 'obj') for (const [k, x] of v.members) members.set(k, x);
            else warnings.push(`${at(p)}: spread of something that is not an object literal; its members are not extracted`);
          } else if (key === undefined) warnings.push(`${at(p)}: computed member name; not extracted`);
        }
        return { t: 'obj', members };
      }
      if (ts.isConditionalExpression(e)) {
        // Feature flags and fault switches guard the deviation: the else branch is the normal one.
        const no = evaluate(e.whenFalse, env);
        return no.t !== 'unknown' ? no : evaluate(e.whenTrue, env);
      }
      if (ts.isPropertyAccessExpression(e)) {
        const o = evaluate(e.expression, env);
        return o.t === 'obj' ? (o.members.get(e.name.text) ?? UNKNOWN(`no member ${e.name.text}`)) : UNKNOWN(`${e.getText(src)} is not an object literal member`);
      }
      if (ts.isCallExpression(e)) {
        const callee = evaluate(e.expression, env);
        if (callee.t !== 'fn') return UNKNOWN(`${e.expression.getText(src)}(...) is not a local function`);
        return returned(callee, e.arguments, env);
      }
      return UNKNOWN(`${ts.SyntaxKind[e.kind]} is not evaluated`);
    } finally {
      depth--;
    }
  }

  /** A bridge member keeps the expression it is written as (its type is the method's type). */
  function atSite(v: Val, site: ts.Expression): Val {
    return v.t === 'fn' ? { ...v, site } : v;
  }

  /** An argument as a value; one that cannot be evaluated keeps its source text. */
  function argValue(a: ts.Expression, env: Env): Val {
    const v = evaluate(a, env);
    return v.t === 'unknown' ? { ...v, expr: a.getText(src) } : v;
  }

  /** Bind a call's arguments to a function's params (a rest param takes the remaining ones). */
  function bind(fn: Extract<Val, { t: 'fn' }>, args: readonly ts.Expression[], env: Env): Env {
    const inner = new Map(fn.env);
    fn.node.parameters.forEach((p, i) => {
      if (!ts.isIdentifier(p.name)) return;
      if (p.dotDotDotToken) {
        const items = args.slice(i).flatMap((a): Val[] => {
          if (!ts.isSpreadElement(a)) return [argValue(a, env)];
          const v = evaluate(a.expression, env);
          return v.t === 'rest' ? v.items : [v];
        });
        inner.set(p.name.text, { t: 'rest', items });
      } else inner.set(p.name.text, args[i] ? argValue(args[i]!, env) : UNKNOWN('missing argument'));
    });
    return inner;
  }
  function returned(fn: Extract<Val, { t: 'fn' }>, args: readonly ts.Expression[], env: Env): Val {
    const inner = bind(fn, args, env);
    const body = fn.node.body;
    if (!body) return UNKNOWN('function without body');
    if (!ts.isBlock(body)) return evaluate(body, inner);
    let out: Val = UNKNOWN('no return');
    const visit = (n: ts.Node): void => {
      if (ts.isReturnStatement(n) && n.expression && out.t === 'unknown') out = evaluate(n.expression, inner);
      else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
    };
    visit(body);
    return out;
  }

  /** The ipc calls a bridge function makes (also through local helpers it calls). */
  function ipcCalls(fn: Extract<Val, { t: 'fn' }>, bridge: string | null, out: FoundChannel[], bridgeFn: ts.SignatureDeclaration, seenFns = new Set<ts.Node>(), site?: ts.Expression): void {
    if (seenFns.has(fn.node)) return;
    seenFns.add(fn.node);
    const env = new Map(fn.env);
    // The bridge function's own params stay symbolic so ipc args can be traced to them.
    if (fn.node === bridgeFn) for (const p of fn.node.parameters) if (ts.isIdentifier(p.name)) env.set(p.name.text, { t: 'param', decl: p });
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const m = ipcMethod(n);
        if (m) {
          const ch = n.arguments[0] ? evaluate(n.arguments[0], env) : UNKNOWN('no channel argument');
          if (ch.t !== 'str') {
            warnings.push(`${at(n)}: ipcRenderer.${m} with a channel that is not a constant (${n.arguments[0]?.getText(src) ?? 'none'})${bridge ? ` in ${bridge}` : ''}; not extracted`);
          } else {
            out.push({ channel: ch.value, method: m, bridge, fn: bridgeFn, site, args: ipcArgs(n.arguments.slice(1), env), listener: m === 'on' || m === 'once' || m === 'addListener' ? n.arguments[1] : undefined, pos: where(n) });
          }
        } else {
          const callee = evaluate(n.expression, env);
          // `helper(...)`, and `ipc.invoke('ch', ...)` on a helper object: a method called with a
          // constant first argument takes a channel (another bridge method, `api.stop()`, does not).
          const helper = !ts.isPropertyAccessExpression(n.expression) || (n.arguments[0] !== undefined && evaluate(n.arguments[0], env).t === 'str');
          if (callee.t === 'fn' && helper) ipcCalls({ t: 'fn', node: callee.node, env: bind(callee, n.arguments, env) }, bridge, out, bridgeFn, seenFns, site);
        }
      }
      // A flag or fault switch guards the deviation: the else branch is the normal call, seen first.
      if (ts.isConditionalExpression(n)) [n.condition, n.whenFalse, n.whenTrue].forEach(visit);
      else if (ts.isIfStatement(n)) [n.expression, n.elseStatement, n.thenStatement].forEach((x) => x && visit(x));
      else ts.forEachChild(n, visit);
    };
    if (fn.node.body) visit(fn.node.body);
  }

  function ipcArgs(args: readonly ts.Expression[], env: Env): IpcArg[] {
    const fromParam = (decl: ts.ParameterDeclaration, spread: boolean): IpcArg => ({
      name: decl.name.getText(src),
      param: decl,
      optional: !!(decl.questionToken || decl.initializer),
      rest: spread || !!decl.dotDotDotToken,
    });
    const out: IpcArg[] = [];
    for (const a of args) {
      const spread = ts.isSpreadElement(a);
      const inner = spread ? a.expression : a;
      const v = ts.isIdentifier(inner) ? env.get(inner.text) : undefined;
      if (v?.t === 'param') out.push(fromParam(v.decl, spread));
      else if (v?.t === 'rest' && spread) {
        // A helper's `...args` forwarded: the arguments its caller passed, one by one.
        for (const item of v.items) {
          if (item.t === 'param') out.push(fromParam(item.decl, !!item.decl.dotDotDotToken));
          else out.push({ name: `arg${out.length + 1}`, optional: false, rest: false, expression: item.t === 'unknown' && item.expr ? item.expr : item.t === 'str' ? JSON.stringify(item.value) : 'a value' });
        }
      } else if (spread) out.push({ name: inner.getText(src), optional: true, rest: true });
      else if (v?.t === 'unknown' && v.expr) out.push({ name: `arg${out.length + 1}`, optional: false, rest: false, expression: v.expr });
      else out.push({ name: ts.isIdentifier(a) ? a.text : `arg${out.length + 1}`, optional: false, rest: false, expression: a.getText(src) });
    }
    return out;
  }

  const channels: FoundChannel[] = [];
  const roots: string[] = [];

  function walkBridge(v: Val, path: string, node: ts.Node): void {
    if (v.t === 'obj') for (const [k, x] of v.members) walkBridge(x, `${path}.${k}`, node);
    else if (v.t === 'fn') {
      const before = channels.length;
      ipcCalls(v, path, channels, v.node, new Set(), v.site);
      if (channels.length === before) warnings.push(`${path}: bridge function makes no ipcRenderer call with a constant channel; not extracted`);
    } else if (v.t === 'unknown') warnings.push(`${path}: ${v.why}; not extracted`);
  }

  // Top-level unconditional `api.x = ...` / `delete api.x` change the object before it is
  // exposed; the same inside an `if` is conditional (a flag or fault switch) and is skipped.
  function memberEdits(st: ts.Statement, conditional: boolean): void {
    if (ts.isIfStatement(st)) {
      memberEdits(st.thenStatement, true);
      if (st.elseStatement) memberEdits(st.elseStatement, true);
      return;
    }
    if (ts.isBlock(st)) {
      for (const s of st.statements) memberEdits(s, conditional);
      return;
    }
    if (!ts.isExpressionStatement(st)) return;
    const e = st.expression;
    const target = ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken ? e.left : ts.isDeleteExpression(e) ? e.expression : undefined;
    if (!target || !ts.isPropertyAccessExpression(target) || !ts.isIdentifier(target.expression)) return;
    const obj = decls.has(target.expression.text) ? lookup(target.expression.text, new Map()) : undefined;
    if (obj?.t !== 'obj') return;
    if (conditional) {
      skipped.push([st.getStart(src), st.getEnd()]);
      warnings.push(`${at(st)}: conditional change of ${target.expression.text}.${target.name.text} (inside an if) skipped`);
      return;
    }
    if (ts.isDeleteExpression(e)) obj.members.delete(target.name.text);
    else obj.members.set(target.name.text, evaluate((e as ts.BinaryExpression).right, new Map()));
  }
  const skipped: [number, number][] = [];
  for (const st of src.statements) memberEdits(st, false);

  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'exposeInMainWorld') {
      const [rootArg, apiArg] = n.arguments;
      const root = rootArg ? evaluate(rootArg, new Map()) : UNKNOWN('no key');
      if (root.t !== 'str' || !apiArg) warnings.push(`${at(n)}: exposeInMainWorld with a key that is not a constant; not extracted`);
      else {
        const path = `window.${root.value}`;
        if (!roots.includes(path)) roots.push(path);
        walkBridge(evaluate(apiArg, new Map()), path, n);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);

  // ipc calls outside any bridge function (e.g. a top-level ipcRenderer.on forwarding to postMessage)
  const inBridge = new Set(channels.map((c) => `${c.pos.line}:${c.pos.col}`));
  const top = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const m = ipcMethod(n);
      const first = n.arguments[0];
      const start = n.getStart(src);
      const isSkipped = skipped.some(([a, b]) => start >= a && start < b) || insideObjectMember(n);
      if (m && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) && !inBridge.has(`${where(n).line}:${where(n).col}`) && !isSkipped) {
        // Only literal channels here: a call inside a helper is reached through the bridge with its argument.
        channels.push({ channel: first.text, method: m, bridge: null, args: ipcArgs(n.arguments.slice(1), new Map()), listener: m === 'on' || m === 'once' ? n.arguments[1] : undefined, pos: where(n) });
      }
    }
    ts.forEachChild(n, top);
  };
  top(src);
  if (roots.length === 0) warnings.push(`${file}: no contextBridge.exposeInMainWorld call found`);
  return { roots, channels, warnings };
}

/** Inside a function that is an object member: part of some API object, not top-level wiring. */
function insideObjectMember(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && ts.isObjectLiteralExpression(p.parent)) return true;
  }
  return false;
}

function ipcMethod(n: ts.CallExpression): IpcMethod | undefined {
  const e = n.expression;
  if (!ts.isPropertyAccessExpression(e) || !IPC_METHODS.has(e.name.text)) return undefined;
  const obj = e.expression;
  const name = ts.isIdentifier(obj) ? obj.text : ts.isPropertyAccessExpression(obj) ? obj.name.text : '';
  return name === 'ipcRenderer' ? (e.name.text as IpcMethod) : undefined;
}
