// A task's form rendered from its JSON Schema (react-jsonschema-form), labelled in the interface
// language, with the server's 422 field errors shown next to the fields.
import Form from '@rjsf/core';
import { ariaDescribedByIds, TranslatableString } from '@rjsf/utils';
import { useEffect, useMemo, useRef } from 'react';
import FORM_ORDER from 'alur:form-order';
import { rupiah, useT } from '../i18n.js';
import { validator } from '../validator.js';

const isRupiah = (prop) => prop.type === 'integer' && /rupiah/i.test(prop.description || '');

/** An integer Rupiah amount: digits only (dots may be typed), shown back as `Rp 150.000.000`. */
function RupiahWidget({ id, value, required, disabled, readonly, autofocus, onChange, onBlur, onFocus, schema }) {
  const previewId = `${id}__rupiah`;
  return (
    <div className="rupiah-input">
      <span className="prefix" aria-hidden="true">Rp</span>
      <input id={id} name={id} type="text" inputMode="numeric" autoComplete="off" className="form-control"
        value={value ?? ''} required={required} disabled={disabled} readOnly={readonly} autoFocus={autofocus}
        aria-describedby={`${ariaDescribedByIds(id)} ${previewId}`}
        onChange={(event) => {
          const digits = event.target.value.replace(/[^0-9]/g, '');
          onChange(digits === '' ? undefined : Number(digits));
        }}
        onBlur={() => onBlur(id, value)} onFocus={() => onFocus(id, value)}
        max={schema.maximum} />
      <output id={previewId} htmlFor={id} className="rupiah-preview">{value != null ? rupiah(value) : ''}</output>
    </div>
  );
}

function fieldUi(name, prop, t, xErrors) {
  const ui = {};
  if (!prop || typeof prop !== 'object') return ui;
  if (prop['x-error']) xErrors[name] = prop['x-error'];
  ui['ui:title'] = t.field(name, prop.title);
  if (t.lang === 'id' && prop.description && isRupiah(prop)) ui['ui:description'] = 'Rupiah, bilangan bulat';
  if (Array.isArray(prop.enum)) ui['ui:enumNames'] = prop.enum.map((value) => t.choice(value));
  if (isRupiah(prop)) ui['ui:widget'] = RupiahWidget;
  if (prop.type === 'string' && (prop.maxLength || 0) > 200) ui['ui:widget'] = 'textarea';
  if (prop.type === 'string' && /phone/.test(name)) ui['ui:options'] = { inputType: 'tel' };
  if (prop.type === 'object' && prop.properties) {
    for (const [child, childProp] of Object.entries(prop.properties)) {
      ui[child] = fieldUi(child, childProp, t, xErrors);
    }
  }
  return ui;
}

/** The fields in the form's own order (known forms), else required ones first; new ones last. */
function orderOf(names, known, required) {
  const present = new Set(names);
  const first = (known || required || []).filter((name) => present.has(name));
  return [...new Set(first), '*'];
}

/** The uiSchema of a form: translated titles and choices, widgets for Rupiah and long text. */
export function uiSchemaFor(schema, t) {
  const xErrors = {};
  const known = FORM_ORDER[schema.$id] || {};
  const ui = { 'ui:submitButtonOptions': { norender: true } };
  const properties = schema.properties || {};
  ui['ui:order'] = orderOf(Object.keys(properties), known[''], schema.required);
  const text = t.form(schema.$id);
  if (text) Object.assign(ui, { 'ui:title': text[0], 'ui:description': text[1] });
  for (const [name, prop] of Object.entries(properties)) {
    ui[name] = fieldUi(name, prop, t, xErrors);
    if (prop && prop.properties) ui[name]['ui:order'] = orderOf(Object.keys(prop.properties), known[name], prop.required);
  }
  return { ui, xErrors };
}

/** Prefilled data the form accepts: declared fields only, no nulls, unanswered booleans false. */
export function initialData(schema, data) {
  const result = {};
  for (const [name, prop] of Object.entries(schema.properties || {})) {
    const value = data?.[name];
    if (value !== null && value !== undefined) result[name] = value;
    else if (prop.type === 'boolean') result[name] = false;
  }
  return result;
}

/** The server's `errors` (`{"applicant.nik": [...], "(form)": [...]}`) as an rjsf error schema. */
export function errorSchemaOf(errors, t, xErrors) {
  const schema = {};
  for (const [path, messages] of Object.entries(errors || {})) {
    const parts = path === '(form)' || path === '_schema' ? [] : path.split('.');
    let node = schema;
    for (const part of parts) node = (node[part] ||= {});
    const list = Array.isArray(messages) ? messages : [String(messages)];
    node.__errors = [...(node.__errors || []), ...list.map((m) => t.serverMessage(path, m, xErrors[parts.at(-1)]))];
  }
  return schema;
}

function translateString(t) {
  return (key, params) => {
    if (key === TranslatableString.YesLabel) return t('yes');
    if (key === TranslatableString.NoLabel) return t('no');
    let text = key;
    (params || []).forEach((param, index) => { text = text.replace(`%${index + 1}`, param); });
    return text;
  };
}

/** Mark the inputs that have an error as invalid, for assistive technology. */
function useAriaInvalid(container, errorSchema) {
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    root.querySelectorAll('[aria-invalid]').forEach((input) => input.removeAttribute('aria-invalid'));
    root.querySelectorAll('[id$="__error"]').forEach((errorBox) => {
      if (!errorBox.textContent.trim()) return;
      const input = root.querySelector(`[id="${errorBox.id.replace(/__error$/, '')}"]`);
      input?.setAttribute('aria-invalid', 'true');
    });
  }, [container, errorSchema]);
}

export default function SchemaForm({ schema, formData, onChange, onSubmit, errors, disabled, children, idPrefix = 'root' }) {
  const t = useT();
  const { ui, xErrors } = useMemo(() => uiSchemaFor(schema, t), [schema, t]);
  const extraErrors = useMemo(() => errorSchemaOf(errors, t, xErrors), [errors, t, xErrors]);
  const container = useRef(null);
  useAriaInvalid(container, extraErrors);
  return (
    <div ref={container} className="schema-form">
      <Form schema={schema} uiSchema={ui} formData={formData} validator={validator}
        noValidate noHtml5Validate showErrorList={false} extraErrors={extraErrors}
        disabled={disabled} onChange={(event) => onChange(event.formData)}
        onSubmit={(event) => onSubmit(event.formData)} widgets={{ RupiahWidget }}
        translateString={translateString(t)} idPrefix={idPrefix}>
        {children}
      </Form>
    </div>
  );
}
