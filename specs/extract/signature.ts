// The bridge method's signature as the renderer sees it. A method made by a factory or wrapper
// (`tag: invoker<[source: string, target: string], R>('models:tag')`) has generic params inside
// the factory; its instantiated type at the bridge member gives the real ones, and a rest tuple
// (`...args: [source: string, target: string]`) is spread into its labelled positions.
import ts from 'typescript';
import type { FoundChannel } from './analyze.ts';

export interface SignatureParam {
  name: string;
  type: ts.Type;
  optional: boolean;
  /** Still a rest of unknown length after spreading tuples (`...args: unknown[]`). */
  rest: boolean;
}

export function bridgeSignature(c: FoundChannel, checker: ts.TypeChecker): ts.Signature | undefined {
  if (c.site) {
    const sig = checker.getTypeAtLocation(c.site).getCallSignatures()[0];
    if (sig) return sig;
  }
  return c.fn ? checker.getSignatureFromDeclaration(c.fn) : undefined;
}

export function signatureParams(sig: ts.Signature, checker: ts.TypeChecker): SignatureParam[] {
  const out: SignatureParam[] = [];
  for (const p of sig.parameters) {
    const decl = p.valueDeclaration && ts.isParameter(p.valueDeclaration) ? p.valueDeclaration : undefined;
    const type = checker.getTypeOfSymbol(p);
    const rest = !!decl?.dotDotDotToken;
    if (rest && checker.isTupleType(type)) {
      const target = (type as ts.TypeReference).target as ts.TupleType;
      checker.getTypeArguments(type as ts.TypeReference).forEach((t, i) => {
        const label = target.labeledElementDeclarations?.[i];
        const flags = target.elementFlags[i] ?? ts.ElementFlags.Required;
        out.push({
          name: label && ts.isIdentifier(label.name) ? label.name.text : `${p.getName()}${i + 1}`,
          type: t,
          optional: !!(flags & ts.ElementFlags.Optional),
          rest: !!(flags & ts.ElementFlags.Variable),
        });
      });
    } else out.push({ name: p.getName(), type, optional: decl ? checker.isOptionalParameter(decl) : !!(p.flags & ts.SymbolFlags.Optional), rest });
  }
  return out;
}

/** The type a callback param hands to its callback (`(cb: (p: T) => void)` gives T). */
export function callbackArgType(t: ts.Type | undefined, checker: ts.TypeChecker): ts.Type | undefined {
  const sig = t?.getNonNullableType().getCallSignatures()[0];
  const p = sig?.parameters[0];
  return p ? checker.getTypeOfSymbol(p) : undefined;
}

/** A type that says something: not `any`/`unknown` (what a JavaScript preload's params are). */
export function typed(t: ts.Type | undefined): ts.Type | undefined {
  return t && !(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) ? t : undefined;
}

/**
 * Bridge methods as a declaration file types them (`declare global { interface Window { api:
 * {...} } }`, the usual `global.d.ts` of an app): `window.api.users.get` -> its signature.
 * Used where the preload itself states no type (JavaScript, untyped arrows, `...args`).
 */
export function declaredBridge(program: ts.Program, checker: ts.TypeChecker): (bridge: string) => ts.Signature | undefined {
  let windowType: ts.Type | undefined;
  for (const sf of program.getSourceFiles()) {
    if (program.isSourceFileDefaultLibrary(sf) || sf.fileName.includes('/node_modules/')) continue;
    const visit = (n: ts.Node): void => {
      if (windowType) return;
      if (ts.isInterfaceDeclaration(n) && n.name.text === 'Window') {
        const sym = checker.getSymbolAtLocation(n.name);
        windowType = sym ? checker.getDeclaredTypeOfSymbol(sym) : undefined;
      } else if (ts.isModuleDeclaration(n) || ts.isModuleBlock(n) || ts.isSourceFile(n)) ts.forEachChild(n, visit);
    };
    visit(sf);
    if (windowType) break;
  }
  return (bridge) => {
    if (!windowType) return undefined;
    let t: ts.Type | undefined = windowType;
    for (const seg of bridge.split('.').slice(1)) {
      const p: ts.Symbol | undefined = t?.getNonNullableType().getProperty(seg);
      t = p ? checker.getTypeOfSymbol(p) : undefined;
      if (!t) return undefined;
    }
    return t.getNonNullableType().getCallSignatures()[0];
  };
}
