// Which ajv keywords a generator rule corresponds to, so tests can check that an invalid value
// fails for the reason it is labelled with (not merely that it fails).
import type { InvalidRule, InvalidValue } from '../../specs/generate.ts';
import type { ValidationIssue } from '../../specs/model.ts';

export const AJV_KEYWORDS: Record<InvalidRule, string[]> = {
  'wrong-type': ['type'],
  'missing-required': ['required', 'minItems', 'dependentRequired'],
  'not-in-enum': ['enum'],
  'not-const': ['const'],
  'extra-property': ['additionalProperties', 'unevaluatedProperties'],
  pattern: ['pattern'],
  format: ['format'],
  minimum: ['minimum', 'exclusiveMinimum'],
  maximum: ['maximum', 'exclusiveMaximum'],
  'multiple-of': ['multipleOf'],
  'min-length': ['minLength'],
  'max-length': ['maxLength'],
  'min-items': ['minItems'],
  'max-items': ['maxItems'],
  'extra-item': ['items', 'maxItems'],
  'unique-items': ['uniqueItems'],
  'wrong-item': ['type'],
  'min-properties': ['minProperties'],
  'max-properties': ['maxProperties'],
  'property-name': ['propertyNames', 'pattern'],
  contains: ['contains'],
  not: ['not'],
};

/**
 * True when ajv reports the labelled rule at the labelled place: an issue with a matching keyword
 * whose instance path is the rule's path or its parent (ajv reports `required` and
 * `additionalProperties` on the object, the generator on the property).
 */
export function issuesExplain(inv: InvalidValue, issues: ValidationIssue[]): boolean {
  const parent = inv.path.slice(0, Math.max(0, inv.path.lastIndexOf('/')));
  return issues.some((i) => AJV_KEYWORDS[inv.rule].includes(i.keyword) && (i.path === inv.path || i.path === parent));
}
