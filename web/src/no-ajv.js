// @rjsf/core's test helper imports the Ajv validator; Alur's forms use ./validator.js (no eval).
const unavailable = () => { throw new Error('Ajv is not bundled: it compiles schemas with eval.'); };
export default { validateFormData: unavailable, isValid: unavailable, rawValidation: unavailable };
export const customizeValidator = unavailable;
