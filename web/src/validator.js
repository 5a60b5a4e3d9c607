// A react-jsonschema-form validator on @cfworker/json-schema, which interprets schemas instead of
// compiling them with `new Function` (as Ajv does): the page's Content-Security-Policy allows no eval.
// The server stays the judge of a submission (its 422 errors are shown by the fields); this
// validator resolves the forms' `if`/`then` conditions and can check a form before it is sent.
import { Validator } from '@cfworker/json-schema';
import { toErrorSchema } from '@rjsf/utils';

const DRAFT = '2020-12';
const WRAPPERS = new Set(['properties', 'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', '$ref',
  'items', 'prefixItems', 'dependentSchemas', 'unevaluatedProperties', 'not']);

function withDefinitions(schema, rootSchema) {
  if (!rootSchema || schema === rootSchema) return schema;
  const defs = rootSchema.$defs || rootSchema.definitions;
  if (!defs || typeof schema !== 'object') return schema;
  return { ...schema, $defs: { ...defs, ...(schema.$defs || {}) } };
}

function clean(value, schema) {
  // JSON has no `undefined`: an unanswered object is empty; inside it, unanswered fields are absent.
  if (value === undefined) return schema && (schema.type === 'object' || schema.properties) ? {} : null;
  return JSON.parse(JSON.stringify(value));
}

function schemaAt(root, keywordLocation) {
  let node = root;
  const parts = keywordLocation.replace(/^#\/?/, '').split('/').filter(Boolean);
  for (const part of parts.slice(0, -1)) {
    if (node === undefined || node === null) return undefined;
    node = node[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function toProperty(instanceLocation) {
  const parts = instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.map((part) => `.${part}`).join('');
}

function toRjsfErrors(outputs, schema) {
  const errors = [];
  for (const output of outputs) {
    if (WRAPPERS.has(output.keyword)) continue;
    let property = toProperty(output.instanceLocation);
    const owner = schemaAt(schema, output.keywordLocation) || {};
    let message = owner['x-error'] || output.error;
    const params = {};
    if (output.keyword === 'required') {
      const missing = /"([^"]+)"/.exec(output.error);
      if (missing) {
        params.missingProperty = missing[1];
        property = `${property}.${missing[1]}`;
        message = owner.properties?.[missing[1]]?.['x-error'] || 'This field is required.';
      }
    }
    errors.push({ name: output.keyword, property, message, params, stack: `${property} ${message}`.trim(),
      schemaPath: output.keywordLocation });
  }
  return errors;
}

/** The rjsf `ValidatorType` on @cfworker/json-schema. */
export const validator = {
  validateFormData(formData, schema, customValidate, transformErrors, uiSchema) {
    const result = new Validator(schema, DRAFT, false).validate(clean(formData, schema));
    let errors = result.valid ? [] : toRjsfErrors(result.errors, schema);
    if (transformErrors) errors = transformErrors(errors, uiSchema);
    return { errors, errorSchema: toErrorSchema(errors) };
  },
  isValid(schema, formData, rootSchema) {
    try {
      return new Validator(withDefinitions(schema, rootSchema), DRAFT, true).validate(clean(formData, schema)).valid;
    } catch {
      return false;
    }
  },
  rawValidation(schema, formData) {
    try {
      const result = new Validator(schema, DRAFT, false).validate(clean(formData, schema));
      return { errors: result.valid ? undefined : result.errors };
    } catch (validationError) {
      return { validationError };
    }
  },
};
